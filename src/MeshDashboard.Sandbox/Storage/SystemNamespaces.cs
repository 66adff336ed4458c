using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>
/// The namespaces every cluster has: kube-apiserver's system-namespaces controller creates <c>default</c>,
/// <c>kube-system</c> and <c>kube-public</c> (and <c>kube-node-lease</c>) and creates them again if they go.
/// A kubeconfig's context names <c>default</c>, so kubectl needs it from the first start.
/// </summary>
internal static class SystemNamespaces
{
    public static readonly string[] Names = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public static void Ensure(ObjectStore store)
    {
        foreach (var name in Names)
        {
            if (!store.Exists(ResourceTypes.Namespaces, "", name))
            {
                store.Create(ResourceTypes.Namespaces, "", new() { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name } }, WriteOptions.Default);
            }
        }
    }
}
