using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
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
    private MeshSnapshot _current = MeshSnapshot.Empty;

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
    public void ReplaceKind(ResourceKind kind, IEnumerable<JsonObject> items)
    {
        lock (_gate)
        {
            Publish(_current.WithKind(kind, items.Select(i => new KubeObject(kind, i))));
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
            Publish(snapshot);
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
            foreach (var change in changes)
            {
                if (change.Object is null)
                {
                    continue;
                }
                var obj = new KubeObject(kind, change.Object);
                snapshot = change.Type switch
                {
                    ChangeType.Upsert => snapshot.With(obj),
                    ChangeType.Delete => snapshot.Without(obj.Ref),
                    _ => snapshot,
                };
            }
            Publish(snapshot);
        }
    }

    private void Publish(MeshSnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        foreach (var subscriber in _subscribers)
        {
            subscriber.Writer.TryWrite(snapshot);
        }
    }
}
