using System.Text.Json.Nodes;
using Bunit;
using MeshDashboard.Components.Pages;
using MeshDashboard.Mesh.Traffic;
using MeshDashboard.Tests.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

/// <summary>The maps as components: the service page's routing map (live, clickable, keyboard-usable), the preview's now/after maps, the mesh map page.</summary>
public sealed class MapComponentTests : DashboardTestContext
{
    private const string TesterRule = "map-node-rule:bookinfo/reviews/http/0";
    private const string DefaultToV1 = "map-edge-rule:bookinfo/reviews/http/1->subset:v1";

    // The watch and the metrics reach the page on their own loops; on a busy machine that takes more than bUnit's one-second default.
    private static readonly TimeSpan LoopDeadline = TimeSpan.FromSeconds(15);

    private IRenderedComponent<ServicePage> Reviews() =>
        Render<ServicePage>(p => p.Add(x => x.Namespace, "bookinfo").Add(x => x.Name, "reviews"));

    private static JsonObject DefaultRuleSplit(JsonObject obj)
    {
        if ((string?)obj["kind"] == "VirtualService" && (string?)obj["metadata"]?["name"] == "reviews")
        {
            obj["spec"]!["http"]![1]!["route"] = JsonNode.Parse("""
                [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 70}, {"destination": {"host": "reviews", "subset": "v3"}, "weight": 30}]
                """);
            obj["metadata"]!["resourceVersion"] = "2";
        }
        return obj;
    }

    [Fact]
    public void ServicePage_DrawsTheRoutingMap_AndSaysItInWords()
    {
        var cut = Reviews();

        Assert.Equal("button", cut.Find(Of(TesterRule)).GetAttribute("role"));
        Assert.Equal("0", cut.Find(Of(TesterRule)).GetAttribute("tabindex"));
        Assert.Equal("100", cut.Find(Of(DefaultToV1)).GetAttribute("data-percent"));
        var words = cut.Find(Of("routing-map-words")).TextContent;
        Assert.Contains("when header end-user is tester → v2 (50% aborted with 503)", words, StringComparison.Ordinal);
        Assert.Contains("everyone else (the fallback) → v1", words, StringComparison.Ordinal);
        // The drawing names itself and points at its words.
        var svg = cut.Find(Of("routing-map"));
        Assert.Equal(cut.Find(Of("routing-map-words")).Id, svg.GetAttribute("aria-describedby"));
    }

    [Fact]
    public void TheRoutingMap_FollowsTheWatch()
    {
        var cut = Reviews();

        Client.Publish(DemoSnapshot.Build(DefaultRuleSplit));

        cut.WaitForAssertion(() => Assert.Equal("70", cut.Find(Of(DefaultToV1)).GetAttribute("data-percent")), LoopDeadline);
        Assert.Equal("30", cut.Find(Of("map-edge-rule:bookinfo/reviews/http/1->subset:v3")).GetAttribute("data-percent"));
    }

    [Fact]
    public void LiveFigures_ShowOnTheSubsetsAndTheirLines()
    {
        Traffic.Subsets[("bookinfo", "reviews")] = new() { ["v1"] = new TrafficFigures(18, 0.5, null, null, null) };

        var cut = Reviews();

        cut.WaitForAssertion(() => Assert.Equal("18", cut.Find(Of(DefaultToV1)).GetAttribute("data-rps")), LoopDeadline);
        Assert.Contains("md-tone-bad", cut.Find(Of(DefaultToV1)).GetAttribute("class"), StringComparison.Ordinal);
        Assert.Contains("18 rps · 50% errors", cut.Find(Of("map-node-subset:v1")).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ARule_OpensTheRuleEditorsTab_ByClickOrEnter()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = Reviews();

        cut.Find(Of(TesterRule)).KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        Assert.Contains("tab=rules", navigation.Uri, StringComparison.Ordinal);
        Assert.EndsWith("#routing-rules", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void ASubset_ListsItsPods_AndBoxesThatDoNothingAreNotButtons()
    {
        var cut = Reviews();

        cut.Find(Of("map-node-subset:v3")).Click();

        var pods = cut.FindAll(Of("map-subset-pod"));
        Assert.Equal(2, pods.Count);
        Assert.Single(pods, p => p.TextContent.Contains("not ready", StringComparison.Ordinal));
        Assert.Equal("img", cut.Find(Of("map-node-entry:mesh")).GetAttribute("role"));
        Assert.Null(cut.Find(Of("map-node-entry:mesh")).GetAttribute("tabindex"));
    }

    [Fact]
    public void ThePreview_DrawsTheMapNowAndAfter_WithTheChangedLinesMarked()
    {
        var cut = Reviews();
        cut.Find(Of("route-all-to-v3")).Click();
        cut.WaitForAssertion(() => Assert.False(cut.Find(Of("apply-weights")).HasAttribute("disabled")));
        cut.Find(Of("apply-weights")).Click();

        Providers.WaitForElement(Of("preview-map-after"), LoopDeadline);
        var before = Providers.Find(Of("preview-map-before"));
        var after = Providers.Find(Of("preview-map-after"));
        Assert.Equal("100", before.QuerySelector(Of(DefaultToV1))!.GetAttribute("data-percent"));
        Assert.Null(after.QuerySelector(Of(DefaultToV1)));
        var toV3 = after.QuerySelector(Of("map-edge-rule:bookinfo/reviews/http/1->subset:v3"))!;
        Assert.Contains("md-changed", toV3.GetAttribute("class"), StringComparison.Ordinal);
        Assert.DoesNotContain("md-changed", after.QuerySelector(Of("map-edge-rule:bookinfo/reviews/http/0->subset:v2"))!.GetAttribute("class"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheMeshMap_OpensANamespaceWithEnter_AndAServiceOpensItsPage()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = Render<MeshMapPage>();

        var bookinfo = cut.Find(Of("map-node-ns:bookinfo"));
        Assert.Equal("false", bookinfo.GetAttribute("aria-expanded"));
        Assert.Empty(cut.FindAll(Of("map-node-svc:bookinfo/reviews")));

        bookinfo.KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        Assert.Equal("true", cut.Find(Of("map-node-ns:bookinfo")).GetAttribute("aria-expanded"));
        cut.Find(Of("map-node-svc:bookinfo/reviews")).Click();
        Assert.EndsWith("/services/bookinfo/reviews", navigation.Uri, StringComparison.Ordinal);
    }
}
