using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Watching;

/// <summary>
/// Which objects each published snapshot changed, for the last <c>capacity</c> snapshots: how a reader that holds an
/// older snapshot learns what to update. Snapshots are numbered as they are published (the number rides on the
/// snapshot weakly, so the log keeps no snapshot alive); not thread-safe, the cache calls it under its lock.
/// </summary>
internal sealed class SnapshotLog(int capacity)
{
    private readonly ConditionalWeakTable<MeshSnapshot, StrongBox<long>> _numbers = [];
    // _changes[i] is what snapshot number (_first + i) changed relative to number (_first + i - 1); null = unknown.
    private readonly List<ImmutableArray<ObjectRef>?> _changes = [];
    private long _first = 1;
    private long _last;

    public void Record(MeshSnapshot previous, MeshSnapshot next, IReadOnlyCollection<ObjectRef>? changed)
    {
        if (!_numbers.TryGetValue(previous, out var previousNumber) || previousNumber.Value != _last)
        {
            // The previous snapshot was not published through this log: nothing before this one can be followed.
            _changes.Clear();
            _first = _last + 1;
            _numbers.AddOrUpdate(previous, new StrongBox<long>(_last));
        }
        _last++;
        _numbers.AddOrUpdate(next, new StrongBox<long>(_last));
        _changes.Add(changed is null ? null : [.. changed]);
        if (_changes.Count > capacity)
        {
            _changes.RemoveAt(0);
            _first++;
        }
    }

    public IReadOnlyCollection<ObjectRef>? Between(MeshSnapshot older, MeshSnapshot newer)
    {
        if (!_numbers.TryGetValue(older, out var from) || !_numbers.TryGetValue(newer, out var to) || from.Value > to.Value || from.Value < _first - 1)
        {
            return null;
        }
        var union = new HashSet<ObjectRef>();
        for (var number = from.Value + 1; number <= to.Value; number++)
        {
            if (_changes[(int)(number - _first)] is not { } changed)
            {
                return null;
            }
            union.UnionWith(changed);
        }
        return union;
    }
}
