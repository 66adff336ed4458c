using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Catalog;

/// <summary>
/// Gateways and system workloads are told from applications by the Service and its pods (see <see cref="WorkloadRoles"/>
/// for the Istio facts each case follows).
/// </summary>
public sealed class WorkloadRolesTests
{
    private static MeshService Describe(params KubeObject[] objects) =>
        ServiceCatalog.Find(Snapshot(objects), objects[0].Namespace, objects[0].Name)!;

    [Theory]
    [InlineData("ingressgateway")]
    [InlineData("egressgateway")]
    [InlineData("eastwestgateway")]
    public void PodsLabelledAsIstioGateways_AreAGateway(string istioLabel)
    {
        var service = Describe(Service("edge", "front"), Pod("edge", "front", istioLabel, labelKey: "istio"));

        Assert.Equal(WorkloadRole.Gateway, service.Role);
    }

    [Fact]
    public void AGatewayApiGatewayIstioDeployed_IsAGateway()
    {
        var service = Describe(
            Obj(ResourceKind.Service, "apps", "web-gateway-istio", """{"selector": {"gateway.networking.k8s.io/gateway-name": "web-gateway"}}""",
                """{"labels": {"gateway.networking.k8s.io/gateway-name": "web-gateway"}}"""));

        Assert.Equal(WorkloadRole.Gateway, service.Role);
    }

    [Fact]
    public void IstiodInTheRootNamespace_IsASystemWorkload()
    {
        var service = Describe(Service("istio-system", "istiod"), Pod("istio-system", "istiod", "1-27"));

        Assert.Equal(WorkloadRole.System, service.Role);
    }

    [Fact]
    public void AnAppWhoseIstioLabelIsNotAGateway_IsAnApp()
    {
        var service = Describe(Service("shop", "cart"), Pod("shop", "cart", "sidecar", labelKey: "istio"));

        Assert.Equal(WorkloadRole.App, service.Role);
    }

    [Fact]
    public void ARuleWithAMirror_HasTheMirrorTrait()
    {
        var service = ServiceCatalog.Find(Bookinfo("""
            {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}],
              "mirror": {"host": "reviews", "subset": "v3"}, "mirrorPercentage": {"value": 20}}]}
            """), "bookinfo", "reviews")!;

        Assert.True(service.Traits.HasFlag(RoutingTraits.Mirror));
        Assert.False(ServiceCatalog.Find(Bookinfo("""
            {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}
            """), "bookinfo", "reviews")!.Traits.HasFlag(RoutingTraits.Mirror));
    }
}
