using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;

namespace MeshDashboard.Components.Pages;

/// <summary>
/// The latest changes across every service, for "what changed just before the graphs turned red". The list is part
/// of the watched state, so a change made anywhere (another person, another replica, the API) appears here live.
/// </summary>
public sealed partial class Changes
{
    private IReadOnlyList<RecentChange> _changes = [];
    private bool _ready;

    protected override bool Show(MeshState state)
    {
        var changes = state.RecentChanges;
        var ready = Client.IsReady;
        if (ready == _ready && (ReferenceEquals(changes, _changes) || changes.SequenceEqual(_changes)))
        {
            return false;
        }
        _changes = changes;
        _ready = ready;
        return true;
    }
}
