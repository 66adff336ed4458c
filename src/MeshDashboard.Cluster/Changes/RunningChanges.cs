using System.Collections.Concurrent;

namespace MeshDashboard.Cluster.Changes;

/// <summary>
/// The changes this process is carrying out now, and those it gave up on and left in the journal. Recovery never
/// touches a running change of its own process; one this process left open it takes at once, while a journal of
/// another process waits until it is old enough that no replica can still be writing it.
/// </summary>
public sealed class RunningChanges
{
    private readonly ConcurrentDictionary<string, bool> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _leftOpen = new(StringComparer.Ordinal);

    public RunningChange Start(string id)
    {
        _running[id] = true;
        return new RunningChange(this, id);
    }

    public bool IsRunning(string id) => _running.ContainsKey(id);

    public bool WasLeftOpen(string id) => _leftOpen.ContainsKey(id);

    internal void Finish(string id, bool leftOpen)
    {
        if (leftOpen)
        {
            _leftOpen[id] = true;
        }
        _running.TryRemove(id, out _);
    }

    public void Forget(string id) => _leftOpen.TryRemove(id, out _);
}

/// <summary>One running change; disposing it marks it no longer running.</summary>
public sealed class RunningChange(RunningChanges owner, string id) : IDisposable
{
    private bool _leftOpen;

    /// <summary>The change ends with its journal open: recovery may take it at once.</summary>
    public void LeaveOpen() => _leftOpen = true;

    public void Dispose() => owner.Finish(id, _leftOpen);
}
