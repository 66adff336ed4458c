using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Catalog;

/// <summary>What a Kubernetes Service fronts: an application, a gateway's Envoy, or the mesh's own machinery.</summary>
public enum WorkloadRole
{
    /// <summary>An application service: what a release manager routes.</summary>
    App,

    /// <summary>An ingress, egress or east-west gateway (Istio's gateway charts or a Gateway API gateway Istio deployed).</summary>
    Gateway,

    /// <summary>The control plane and other system workloads (istiod, kube-dns…): not routed with VirtualServices by people.</summary>
    System,
}

/// <summary>
/// Tells a gateway or system workload from an application from the Service and its pods alone, so the overview can keep
/// them apart without listing the ingress gateway as if it were an app. Facts followed:
/// <list type="bullet">
/// <item>Istio's gateway Helm chart (manifests/charts/gateway) and the classic istio-ingressgateway label their pods
/// <c>istio: ingressgateway</c> / <c>egressgateway</c> / <c>eastwestgateway</c>, the label a Gateway's <c>selector</c> names.</item>
/// <item>Gateways Istio deploys for the Kubernetes Gateway API carry <c>gateway.networking.k8s.io/gateway-name</c>
/// (pkg/config/constants/constants.go, <c>GatewayLabel</c>: "on any k8s GW API gateway"), on the pods and the Service.</item>
/// <item><c>istio-system</c> is Istio's default root namespace (istiod and its add-ons); <c>kube-system</c> is Kubernetes'.</item>
/// </list>
/// Only the Service and its own pods are read, so the role changes exactly when the catalog re-describes the service.
/// </summary>
public static class WorkloadRoles
{
    private const string GatewayApiLabel = "gateway.networking.k8s.io/gateway-name";

    private static readonly HashSet<string> SystemNamespaces = new(StringComparer.Ordinal) { "istio-system", "kube-system" };

    public static WorkloadRole Of(KubeObject service, IReadOnlyList<KubeObject> pods)
    {
        if (IsGateway(service.Labels) || pods.Any(p => IsGateway(p.Labels)))
        {
            return WorkloadRole.Gateway;
        }
        return SystemNamespaces.Contains(service.Namespace) ? WorkloadRole.System : WorkloadRole.App;
    }

    private static bool IsGateway(IReadOnlyDictionary<string, string> labels) =>
        labels.ContainsKey(GatewayApiLabel) ||
        (labels.TryGetValue("istio", out var istio) && istio.EndsWith("gateway", StringComparison.Ordinal));
}
