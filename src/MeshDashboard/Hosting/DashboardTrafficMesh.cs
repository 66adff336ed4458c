using MeshDashboard.Cluster.Client;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Sandbox.Traffic;

namespace MeshDashboard.Hosting;

/// <summary>
/// In Sandbox mode, the traffic simulator routes by the mesh the dashboard's watch cache holds, with the index the
/// dashboard derives from it anyway, as istiod routes by its own watch of the API server: one copy of the mesh in the
/// process instead of two, and an edit costs the simulator what it touches (the index is derived event by event). The
/// sandbox starts before the dashboard's services exist, so the cache is handed over once they do; until then, and until
/// the cache has listed every kind, the simulator sends nothing.
/// </summary>
internal sealed class DashboardTrafficMesh : ITrafficMeshSource
{
    private MeshDashboardClient? _client;

    public MeshIndex? Current => Volatile.Read(ref _client) is { IsReady: true } client ? client.Current.Catalog.Index : null;

    public void Follow(MeshDashboardClient client) => Volatile.Write(ref _client, client);
}
