using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using MeshDashboard.Components.Pages;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Tests.Model;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

/// <summary>
/// The TCP split (the demo's ratings service given a TCP route shaped like Istio's samples/tcp-echo 80/20 split) and
/// the preview dialog's "try a request", which simulates one request on the mesh now and after the change.
/// </summary>
public sealed class TcpSplitAndPreviewSimulationTests() : DashboardTestContext(WithTcpRatings())
{
    /// <summary>bookinfo/ratings with subsets v1/v2 and a mesh VirtualService that only routes TCP: 80/20 on port 9080.</summary>
    internal static MeshSnapshot WithTcpRatings() => DemoSnapshot.Build().WithMany(
    [
        new KubeObject(ResourceKind.DestinationRule, JsonNode.Parse("""
            {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule", "metadata": {"name": "ratings", "namespace": "bookinfo", "resourceVersion": "1"},
             "spec": {"host": "ratings", "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}}
            """)!.AsObject()),
        new KubeObject(ResourceKind.VirtualService, JsonNode.Parse("""
            {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "ratings", "namespace": "bookinfo", "resourceVersion": "1"},
             "spec": {"hosts": ["ratings"], "tcp": [{"match": [{"port": 9080}], "route": [
               {"destination": {"host": "ratings", "port": {"number": 9080}, "subset": "v1"}, "weight": 80},
               {"destination": {"host": "ratings", "port": {"number": 9080}, "subset": "v2"}, "weight": 20}]}]}}
            """)!.AsObject()),
    ]);

    private IRenderedComponent<ServicePage> Open(string name) =>
        Render<ServicePage>(p => p.Add(x => x.Namespace, "bookinfo").Add(x => x.Name, name));

    private static string ValueOf(IElement input) => input.GetAttribute("value") ?? "";

    private static void ClickWhenEnabled(IRenderedComponent<ServicePage> cut, string id)
    {
        cut.WaitForAssertion(() => Assert.False(cut.Find(Of(id)).HasAttribute("disabled"), $"{id} is still disabled"));
        cut.Find(Of(id)).Click();
    }

    [Fact]
    public void ATcpOnlyService_ShowsItsTcpSplit_NotAnHttpSplitThatWouldAddAnHttpRoute()
    {
        var cut = Open("ratings");

        Assert.Empty(cut.FindAll(Of("apply-weights")));
        Assert.Contains("TCP route 1: port 9080", cut.Find(Of("tcp-route-0")).TextContent, StringComparison.Ordinal);
        Assert.Equal("80", ValueOf(cut.Find(InputOf("tcp0-weight-input-v1"))));
        Assert.Equal("20", ValueOf(cut.Find(InputOf("tcp0-weight-input-v2"))));
        Assert.True(cut.Find(Of("tcp0-apply-weights")).HasAttribute("disabled"));
    }

    [Fact]
    public void TheTcpSplit_AppliesSetTcpWeightsForThatRoute_WithTheFingerprintItWasReadWith()
    {
        var cut = Open("ratings");

        cut.Find(Of("tcp0-route-all-to-v2")).Click();
        ClickWhenEnabled(cut, "tcp0-apply-weights");
        Providers.WaitForElement(Of("preview-apply")).Click();

        cut.WaitForAssertion(() => Assert.Single(Client.Applied));
        var operation = Assert.IsType<SetTcpWeights>(Client.Applied[0].Operation);
        Assert.Equal(0, operation.Route);
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 0, ["v2"] = 100 }, operation.Weights);
        var route = ServiceCatalog.Find(WithTcpRatings(), "bookinfo", "ratings")!.MeshRoute!.VirtualService.Tcp[0];
        Assert.Equal(route.Fingerprint, operation.Fingerprint);
    }

    [Fact]
    public void ThePreview_OpensOnTheRequestTheRulesNameAndSaysItsRouteDoesNotChange()
    {
        var cut = Open("reviews");
        cut.Find(Of("route-all-to-v3")).Click();
        ClickWhenEnabled(cut, "apply-weights");

        // The demo's rule "tester" matches end-user: tester; that request keeps going to v2 whatever the default split.
        Providers.WaitForAssertion(() => Assert.Equal("tester", ValueOf(Providers.Find(InputOf("preview-sim-header-value")))));
        Assert.Equal("end-user", ValueOf(Providers.Find(InputOf("preview-sim-header-name"))));
        Assert.StartsWith("This change does not change this request: it goes to v2 100% (fault: 50% aborted with HTTP 503)", Providers.Find(Of("preview-sim-sentence")).TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void ThePreview_SaysWhereAnotherUsersRequestGoesNowAndAfterTheChange()
    {
        var cut = Open("reviews");
        cut.Find(Of("route-all-to-v3")).Click();
        ClickWhenEnabled(cut, "apply-weights");

        var value = Providers.WaitForElement(InputOf("preview-sim-header-value"));
        value.Input("jason");

        Providers.WaitForAssertion(() => Assert.Equal(
            "After this change this request goes to v3 100%; now it goes to v1 100%.",
            Providers.Find(Of("preview-sim-sentence")).TextContent.Trim()));
        Assert.Contains("v3", Providers.Find(Of("preview-sim-after")).TextContent, StringComparison.Ordinal);
        Assert.Contains("v1", Providers.Find(Of("preview-sim-now")).TextContent, StringComparison.Ordinal);
        Assert.Empty(Client.Applied);
    }
}
