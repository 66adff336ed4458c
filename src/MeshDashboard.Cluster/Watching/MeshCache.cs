using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Watching;

/// <summary>The live state of the mesh, shared by every page and API call in the process.</summary>
public interface IMeshCache
{
    /// <summary>The latest snapshot.</summary>
    MeshSnapshot Current { get; }

    /// <summary>True once every kind has been listed at least once.</summary>
    bool IsSynced { get; }

    /// <summary>
    /// The current snapshot, then every newer one. A slow subscriber skips intermediate snapshots rather
    /// than falling behind: each snapshot is complete, so only the latest matters.
    /// </summary>
    IAsyncEnumerable<MeshSnapshot> SubscribeAsync(CancellationToken cancellationToken);

    /// <summary>Completes when every kind has been listed once.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);

    /// <summary>Whether every kind's watch hears from the cluster now.</summary>
    ConnectionHealth Health { get; }

    /// <summary>
    /// The objects that differ between two snapshots this cache published (<paramref name="older"/> first), so what is
    /// derived from a snapshot can be updated instead of rebuilt; null when that is no longer known.
    /// </summary>
    IReadOnlyCollection<ObjectRef>? ChangesBetween(MeshSnapshot older, MeshSnapshot newer);
}

/// <summary>
/// Snapshot-plus-changes cache fed by one watch per kind. Writers (the watchers) replace the immutable
/// snapshot under a lock; subscribers each get a channel of capacity one that keeps only the newest.
/// </summary>
public sealed class MeshCache : IMeshCache
{
    private readonly Lock _gate = new();
    private readonly List<Channel<MeshSnapshot>> _subscribers = [];
    private readonly HashSet<ResourceKind> _synced = [];
    private readonly TaskCompletionSource _syncedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<ResourceKind, (DateTimeOffset Since, string Reason)> _unreachable = [];
    private readonly SnapshotLog _log = new(capacity: 1024);
    private MeshSnapshot _current = MeshSnapshot.Empty;
    private ConnectionHealth _health = ConnectionHealth.Connecting;

    public IReadOnlyCollection<ObjectRef>? ChangesBetween(MeshSnapshot older, MeshSnapshot newer)
    {
        lock (_gate)
        {
            return _log.Between(older, newer);
        }
    }

    public ConnectionHealth Health => Volatile.Read(ref _health);

    /// <summary>
    /// A kind's watch failed to reach the cluster. Subscribers get the current snapshot again, so open pages re-render
    /// and show the outage.
    /// </summary>
    public void MarkUnreachable(ResourceKind kind, DateTimeOffset now, string reason)
    {
        lock (_gate)
        {
            if (_unreachable.TryAdd(kind, (now, reason)))
            {
                UpdateHealth(now);
            }
        }
    }

    /// <summary>A kind was listed again after an outage: its part of the snapshot is current.</summary>
    public void MarkReachable(ResourceKind kind, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_unreachable.Remove(kind) || _health.CurrentAsOf is null)
            {
                UpdateHealth(now);
            }
        }
    }

    private void UpdateHealth(DateTimeOffset now)
    {
        var previous = _health;
        _health = _unreachable.Count == 0
            ? new ConnectionHealth(null, now, null)
            : new ConnectionHealth(_unreachable.Values.Min(u => u.Since), previous.UnreachableSince is null ? now : previous.CurrentAsOf,
                _unreachable.Values.MinBy(u => u.Since).Reason);
        Publish(_current, []);
    }

    public MeshSnapshot Current => Volatile.Read(ref _current);

    public bool IsSynced => _syncedSignal.Task.IsCompleted;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _syncedSignal.Task.WaitAsync(cancellationToken);

    public async IAsyncEnumerable<MeshSnapshot> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<MeshSnapshot>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            channel.Writer.TryWrite(_current);
            _subscribers.Add(channel);
        }
        try
        {
            await foreach (var snapshot in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return snapshot;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }

    /// <summary>Replaces every object of a kind after a (re)list, and counts the kind as synced.</summary>
    public void ReplaceKind(ResourceKind kind, IEnumerable<KubeObject> items)
    {
        lock (_gate)
        {
            var listed = items.ToList();
            Publish(_current.WithKind(kind, listed), Differences(_current, kind, listed));
            _synced.Add(kind);
            if (_synced.Count == ResourceKinds.All.Count)
            {
                _syncedSignal.TrySetResult();
            }
        }
    }

    /// <summary>Replaces the whole state at once (a replica's starting point in tests, or a restore).</summary>
    public void ReplaceAll(MeshSnapshot snapshot)
    {
        lock (_gate)
        {
            Publish(snapshot, changed: null);
            _synced.UnionWith(ResourceKinds.All);
            _syncedSignal.TrySetResult();
        }
    }

    public void Apply(ResourceKind kind, IReadOnlyList<KindChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            var snapshot = _current;
            var changed = new List<ObjectRef>(changes.Count);
            foreach (var change in changes)
            {
                if (change.Object is not { } obj)
                {
                    continue;
                }
                snapshot = change.Type switch
                {
                    ChangeType.Upsert => snapshot.With(obj),
                    ChangeType.Delete => snapshot.Without(obj.Ref),
                    _ => snapshot,
                };
                changed.Add(obj.Ref);
            }
            Publish(snapshot, changed);
        }
    }

    /// <summary>The objects of a kind a relist added, changed (by resourceVersion) or removed.</summary>
    private static List<ObjectRef> Differences(MeshSnapshot before, ResourceKind kind, IReadOnlyList<KubeObject> listed)
    {
        var differences = new List<ObjectRef>();
        var seen = new HashSet<ObjectRef>();
        foreach (var obj in listed)
        {
            seen.Add(obj.Ref);
            if (before.Find(obj.Ref) is not { } old || old.ResourceVersion != obj.ResourceVersion || old.ResourceVersion.Length == 0)
            {
                differences.Add(obj.Ref);
            }
        }
        differences.AddRange(before.Of(kind).Select(o => o.Ref).Where(r => !seen.Contains(r)));
        return differences;
    }

    /// <param name="snapshot">The new current snapshot (the same one again to tell subscribers about health).</param>
    /// <param name="changed">The objects it changed; null when not known (the whole state replaced).</param>
    private void Publish(MeshSnapshot snapshot, IReadOnlyCollection<ObjectRef>? changed)
    {
        if (!ReferenceEquals(snapshot, _current))
        {
            _log.Record(_current, snapshot, changed);
        }
        Volatile.Write(ref _current, snapshot);
        foreach (var subscriber in _subscribers)
        {
            subscriber.Writer.TryWrite(snapshot);
        }
    }
}
