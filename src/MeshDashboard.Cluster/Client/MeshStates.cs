using System.Runtime.CompilerServices;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Cluster.Client;

/// <summary>
/// The states of one cache's snapshots, each derived from the last one made (only what changed in between is computed
/// again). One per cache, shared by the client that serves pages and the pipeline that plans changes, so an edit reads
/// the catalog and index the pages already have instead of building its own.
/// </summary>
public sealed class MeshStates
{
    // One per cache without a registration of its own: the pipeline and the client are each built from the cache alone.
    private static readonly ConditionalWeakTable<IMeshCache, MeshStates> PerCache = [];

    private readonly IMeshCache _cache;
    private MeshState _last = new(MeshSnapshot.Empty);

    private MeshStates(IMeshCache cache) => _cache = cache;

    public static MeshStates For(IMeshCache cache) => PerCache.GetValue(cache, c => new MeshStates(c));

    /// <summary>The state of the cache's current snapshot.</summary>
    public MeshState Current => Of(_cache.Current);

    /// <summary>
    /// The state of a snapshot the cache published. Subscribers run on their own threads: a snapshot older than the last
    /// state gets the last state (every snapshot is complete, so newer is as good), and of two threads deriving the same
    /// step one result is kept.
    /// </summary>
    public MeshState Of(MeshSnapshot snapshot)
    {
        var health = _cache.Health;
        while (true)
        {
            var last = Volatile.Read(ref _last);
            MeshState state;
            if (ReferenceEquals(last.Snapshot, snapshot))
            {
                state = last.WithHealth(health);
            }
            else if (_cache.ChangesBetween(last.Snapshot, snapshot) is { } changed)
            {
                state = last.Next(snapshot, changed, health);
            }
            else if (_cache.ChangesBetween(snapshot, last.Snapshot) is not null)
            {
                return last.WithHealth(health);
            }
            else
            {
                state = last.Next(snapshot, changed: null, health);
            }
            if (ReferenceEquals(state, last) || ReferenceEquals(Interlocked.CompareExchange(ref _last, state, last), last))
            {
                return state;
            }
        }
    }
}
