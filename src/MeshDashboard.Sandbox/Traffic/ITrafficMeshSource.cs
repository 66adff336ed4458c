using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Sandbox.Traffic;

/// <summary>
/// Where the traffic simulator reads the mesh it routes requests by, as istiod routes from its own watch of the API
/// server. Standalone, the sandbox reads its own store; inside the dashboard's process (Sandbox mode) the dashboard
/// hands over the mesh its watch cache already holds, so the process keeps one copy of it, not two.
/// </summary>
public interface ITrafficMeshSource
{
    /// <summary>
    /// The mesh now, with its index; null while the reader has not read it yet (no requests are sent). Pods may be kept
    /// without their annotations: the simulator reads staged traffic from the store (see <see cref="TrafficAnnotations"/>).
    /// Called by the simulator's tick, one call at a time.
    /// </summary>
    MeshIndex? Current { get; }
}
