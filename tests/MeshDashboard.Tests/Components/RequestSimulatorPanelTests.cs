using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using MeshDashboard.Components.Forms;
using MeshDashboard.Components.Pages;
using MeshDashboard.Tests.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

/// <summary>
/// "Where does this request go?" on the demo mesh: bookinfo/reviews sends end-user: tester to v2 with a 50% abort and
/// everyone else to v1; myapp/myapp is a 25/75 canary in the mesh and v2 behind myapp-gateway for myapp.example.com.
/// </summary>
public sealed class RequestSimulatorPanelTests : DashboardTestContext
{
    private IRenderedComponent<RequestSimulatorPanel> Open(string ns, string name) =>
        Render<RequestSimulatorPanel>(p => p.Add(x => x.Service, Client.Current.FindService(ns, name)!));

    private static string ValueOf(IElement input) => input.GetAttribute("value") ?? "";

    private static void Type(IRenderedComponent<RequestSimulatorPanel> cut, string id, string text)
    {
        cut.Find(InputOf(id)).Input(text);
        cut.WaitForAssertion(() => Assert.Equal(text, ValueOf(cut.Find(InputOf(id)))));
    }

    private static IEnumerable<string> Destinations(IRenderedComponent<RequestSimulatorPanel> cut) =>
        cut.FindAll(Of("sim-destination")).Select(d => d.TextContent.Trim());

    /// <summary>A demo snapshot whose reviews catch-all rule is edited.</summary>
    private static Mesh.Catalog.MeshSnapshot ReviewsDefaultRule(Action<JsonObject> edit) => DemoSnapshot.Build(o =>
    {
        if ((string?)o["kind"] == "VirtualService" && (string?)o["metadata"]!["name"] == "reviews")
        {
            edit((JsonObject)o["spec"]!["http"]![1]!);
        }
        return o;
    });

    [Fact]
    public void PlainRequest_GoesToV1ByTheDefaultRule()
    {
        var cut = Open("bookinfo", "reviews");

        Assert.Equal("reviews", ValueOf(cut.Find(InputOf("sim-host"))));
        Assert.Equal("bookinfo", ValueOf(cut.Find(InputOf("sim-source-namespace"))));
        Assert.Equal(["reviews.bookinfo · v1 — 100%"], Destinations(cut));
        Assert.Contains("bookinfo/reviews, rule 2 “default”", cut.Find(Of("sim-outcome")).TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(Of("sim-fault")));
        Assert.Contains("no match", cut.FindAll(Of("sim-explanation")).First(l => l.TextContent.Contains("tester", StringComparison.Ordinal)).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TesterHeader_GoesToV2WithTheAbort()
    {
        var cut = Open("bookinfo", "reviews");

        Type(cut, "sim-header-name-0", "end-user");
        Type(cut, "sim-header-value-0", "tester");

        cut.WaitForAssertion(() => Assert.Equal(["reviews.bookinfo · v2 — 100%"], Destinations(cut)));
        Assert.Contains("rule 1 “tester”", cut.Find(Of("sim-outcome")).TextContent, StringComparison.Ordinal);
        Assert.Equal("Fault: 50% aborted with HTTP 503", cut.Find(Of("sim-fault")).TextContent.Trim());
        Assert.Contains(cut.FindAll(Of("sim-explanation")), l => l.TextContent.Contains("matches", StringComparison.Ordinal));
    }

    [Fact]
    public void RemovingTheHeader_GoesBackToV1()
    {
        var cut = Open("bookinfo", "reviews");
        Type(cut, "sim-header-name-0", "end-user");
        Type(cut, "sim-header-value-0", "tester");
        cut.WaitForAssertion(() => Assert.Equal(["reviews.bookinfo · v2 — 100%"], Destinations(cut)));

        cut.Find(Of("sim-header-remove-0")).Click();

        cut.WaitForAssertion(() => Assert.Equal(["reviews.bookinfo · v1 — 100%"], Destinations(cut)));
        Assert.Empty(cut.FindAll(InputOf("sim-header-name-0")));
    }

    [Fact]
    public void Canary_ShowsBothSharesAndTheBar()
    {
        var cut = Open("myapp", "myapp");

        Assert.Equal(["myapp.myapp · v1 — 25%", "myapp.myapp · v2 — 75%"], Destinations(cut));
        var bar = cut.Find(Of("split-bar"));
        Assert.Contains("v1 25%", bar.TextContent, StringComparison.Ordinal);
        Assert.Contains("v2 75%", bar.TextContent, StringComparison.Ordinal);
        Assert.Contains("the mesh default", cut.Find(Of("sim-retries")).TextContent, StringComparison.Ordinal);
        Assert.Contains("none", cut.Find(Of("sim-timeout")).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Gateway_OffersTheServicesGatewaysAndSuggestsItsHost()
    {
        var cut = Open("myapp", "myapp");

        cut.Find(Of("sim-gateway")).Closest(".mud-input-control")!.MouseDown();
        Providers.WaitForElements(".mud-list-item").Single(i => i.TextContent.Contains("gateway myapp/myapp-gateway", StringComparison.Ordinal)).Click();

        // The host follows the choice: the first host a VirtualService bound to the gateway serves.
        cut.WaitForAssertion(() => Assert.Equal("test.myapp.example.com", ValueOf(cut.Find(InputOf("sim-host")))));
        cut.WaitForAssertion(() => Assert.Equal(["myapp.myapp · v1 — 100%"], Destinations(cut)));
        Assert.Contains("myapp/myapp-preview", cut.Find(Of("sim-outcome")).TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find(Of("sim-source-at-gateway")));

        Type(cut, "sim-host", "myapp.example.com");

        cut.WaitForAssertion(() => Assert.Equal(["myapp.myapp · v2 — 100%"], Destinations(cut)));
        Assert.Contains("myapp/myapp-public", cut.Find(Of("sim-outcome")).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Mirror_IsShownAsACopyNotAShare()
    {
        Client.Publish(ReviewsDefaultRule(rule =>
        {
            rule["mirror"] = new JsonObject { ["host"] = "reviews", ["subset"] = "v3" };
            rule["mirrorPercentage"] = new JsonObject { ["value"] = 10 };
        }));

        var cut = Open("bookinfo", "reviews");

        Assert.Equal(["reviews.bookinfo · v1 — 100%"], Destinations(cut));
        Assert.Contains("copy of 10% to reviews.bookinfo · v3", cut.Find(Of("sim-mirror")).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void LiveChange_ReRunsTheSimulation()
    {
        var cut = Open("bookinfo", "reviews");
        Assert.Equal(["reviews.bookinfo · v1 — 100%"], Destinations(cut));

        Client.Publish(ReviewsDefaultRule(rule => rule["route"]![0]!["destination"]!["subset"] = "v3"));

        cut.WaitForAssertion(() => Assert.Equal(["reviews.bookinfo · v3 — 100%"], Destinations(cut)));
    }

    [Fact]
    public void ShortHostWithoutSourceNamespace_SaysWhatIsMissing()
    {
        var cut = Open("bookinfo", "reviews");

        Type(cut, "sim-source-namespace", "");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(Of("sim-invalid"))));
        Assert.Contains("is needed to resolve the short host", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(Of("sim-destination")));
    }

    [Fact]
    public void SimulateTabInTheAddress_OpensTheSimulator()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/services/bookinfo/reviews?tab=simulate");

        var cut = Render<ServicePage>(p => p.Add(x => x.Namespace, "bookinfo").Add(x => x.Name, "reviews"));

        Assert.Equal("Simulate", cut.Find(".mud-tab-active").TextContent.Trim());
        Assert.Contains("v1 — 100%", cut.Find(Of("sim-destination")).TextContent, StringComparison.Ordinal);
    }
}
