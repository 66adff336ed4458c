using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Sandbox.Traffic;

namespace MeshDashboard.Sandbox.Tests.Traffic;

/// <summary>Which routes an edit makes the simulator decide again: those of the hosts it touches, or all of them for a wildcard or a Gateway.</summary>
public sealed class RouteChangesTests
{
    private static readonly MeshSnapshot Mesh = MeshSnapshot.From(
    [
        Object(ResourceKind.Service, "shop", "cart", new JsonObject { ["selector"] = new JsonObject { ["app"] = "cart" } }),
        Object(ResourceKind.Service, "shop", "pay", new JsonObject { ["selector"] = new JsonObject { ["app"] = "pay" } }),
        VirtualService("cart", ["cart"], 100),
        VirtualService("pay", ["pay.shop.svc.cluster.local"], 100),
    ]);

    [Fact]
    public void AVirtualServiceEdit_TouchesTheHostsItDeclares()
    {
        var changes = RouteChanges.Between(Mesh, Mesh.With(VirtualService("cart", ["cart"], 50)));

        Assert.False(changes.Everything);
        Assert.Equal(["cart.shop.svc.cluster.local"], changes.Hosts);
    }

    [Fact]
    public void AVirtualServiceMovedToAnotherHost_TouchesBothHosts()
    {
        var changes = RouteChanges.Between(Mesh, Mesh.With(VirtualService("cart", ["pay"], 100)));

        Assert.Equal(["cart.shop.svc.cluster.local", "pay.shop.svc.cluster.local"], changes.Hosts.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ARemovedService_TouchesItsHost()
    {
        var changes = RouteChanges.Between(Mesh, Mesh.Without(new ObjectRef(ResourceKind.Service, "shop", "pay")));

        Assert.Equal(["pay.shop.svc.cluster.local"], changes.Hosts);
    }

    [Fact]
    public void AWildcardVirtualService_MayCoverAnyHost()
    {
        Assert.True(RouteChanges.Between(Mesh, Mesh.With(VirtualService("all", ["*.shop.svc.cluster.local"], 100))).Everything);
    }

    [Fact]
    public void AGatewayEdit_DecidesEveryRouteAgain()
    {
        Assert.True(RouteChanges.Between(Mesh, Mesh.With(Object(ResourceKind.Gateway, "shop", "edge", new JsonObject()))).Everything);
    }

    [Fact]
    public void PodsDestinationRulesAndConfigMaps_ChangeNoRoute()
    {
        var next = Mesh
            .With(Object(ResourceKind.Pod, "shop", "cart-1", new JsonObject()))
            .With(Object(ResourceKind.DestinationRule, "shop", "cart", new JsonObject { ["host"] = "cart" }))
            .With(Object(ResourceKind.ConfigMap, "shop", "history", new JsonObject()));

        var changes = RouteChanges.Between(Mesh, next);

        Assert.False(changes.Everything);
        Assert.Empty(changes.Hosts);
    }

    private static KubeObject VirtualService(string name, string[] hosts, int weight) =>
        Object(ResourceKind.VirtualService, "shop", name, new JsonObject
        {
            ["hosts"] = new JsonArray([.. hosts.Select(h => (JsonNode)h)]),
            ["http"] = new JsonArray(new JsonObject
            {
                ["route"] = new JsonArray(new JsonObject { ["destination"] = new JsonObject { ["host"] = hosts[0] }, ["weight"] = weight }),
            }),
        });

    private static KubeObject Object(ResourceKind kind, string ns, string name, JsonObject spec) =>
        new(kind, new JsonObject
        {
            ["apiVersion"] = kind.ApiVersion(),
            ["kind"] = kind.ToString(),
            ["metadata"] = new JsonObject { ["namespace"] = ns, ["name"] = name },
            ["spec"] = spec,
        });
}
