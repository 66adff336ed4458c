using System.Globalization;
using System.Text.Json.Nodes;
using Bunit;
using MeshDashboard.Components.Pages;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Tests.Components;
using Microsoft.AspNetCore.Components;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Scale;

/// <summary>
/// The overview at 5,000 services lays out a screenful of rows, not all of them: virtualized once interactive, the
/// first rows only when prerendered. The count in the heading still says how many there are.
/// </summary>
public sealed class OverviewAtScaleTests() : DashboardTestContext(ManyServices(5_000))
{
    private const int ServiceCount = 5_000;

    private static MeshSnapshot ManyServices(int count) => MeshSnapshot.From(Enumerable.Range(0, count).Select(Service));

    private static KubeObject Service(int i)
    {
        var name = "svc-" + i.ToString("D4", CultureInfo.InvariantCulture);
        var ns = "team-" + (i % 40).ToString(CultureInfo.InvariantCulture);
        return new KubeObject(ResourceKind.Service, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["resourceVersion"] = "1" },
            ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["app"] = name } },
        });
    }

    private static int RowsIn(IRenderedComponent<Overview> cut) => cut.FindAll(Of("services-body") + " [role='row']").Count;

    [Fact]
    public void Interactive_RendersFarFewerRowElementsThanServices()
    {
        var cut = Render<Overview>();

        cut.WaitForAssertion(() => Assert.Equal($"{ServiceCount} services", cut.Find(Of("service-count")).TextContent.Trim()));
        // Without a browser to measure the view, virtualization lays out its most at once: still a screenful, not 5,000.
        Assert.InRange(RowsIn(cut), 1, Overview.MaxRowsLaidOut + (2 * Overview.RowsBeyondView));
        Assert.Equal((ServiceCount + 1).ToString(CultureInfo.InvariantCulture), cut.Find(Of("services-table")).GetAttribute("aria-rowcount"));
    }

    [Fact]
    public void Prerendered_RendersTheFirstScreenfulOnly()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = Render<Overview>();

        Assert.Equal(Overview.PrerenderedRows, RowsIn(cut));
        Assert.NotEmpty(cut.FindAll(Of("row-team-0-svc-0000")));
    }

    [Fact]
    public void Search_NarrowsTheListWithoutLayingOutTheRest()
    {
        var cut = Render<Overview>();

        cut.Find(InputOf("service-search")).Input("svc-4999");

        cut.WaitForAssertion(() => Assert.Equal("1 of 5000 services", cut.Find(Of("service-count")).TextContent.Trim()));
        Assert.Equal(1, RowsIn(cut));
        Assert.NotEmpty(cut.FindAll(Of("row-team-39-svc-4999")));
    }
}
