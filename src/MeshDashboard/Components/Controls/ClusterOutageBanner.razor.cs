using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Watching;

namespace MeshDashboard.Components.Controls;

/// <summary>
/// Says on every page when the cluster stopped answering and how old the state shown is, so nobody steers traffic
/// from a picture that is no longer true. Changes are refused meanwhile (the pipeline pauses them).
/// </summary>
public sealed partial class ClusterOutageBanner
{
    private ConnectionHealth? _health;

    protected override bool Show(MeshState state)
    {
        if (Equals(_health, state.Health))
        {
            return false;
        }
        _health = state.Health;
        return true;
    }
}
