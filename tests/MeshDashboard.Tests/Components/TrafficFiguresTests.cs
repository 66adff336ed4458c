using Bunit;
using MeshDashboard.Components.Pages;
using MeshDashboard.Mesh.Traffic;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

/// <summary>Live figures on the pages: beside each slider, on the overview (with sorting), and in the preview.</summary>
public sealed class TrafficFiguresTests : DashboardTestContext
{
    private IRenderedComponent<ServicePage> Reviews() =>
        Render<ServicePage>(p => p.Add(x => x.Namespace, "bookinfo").Add(x => x.Name, "reviews"));

    [Fact]
    public void Sliders_ShowEachSubsetsRateSuccessAndP99()
    {
        Traffic.Subsets[("bookinfo", "reviews")] = new()
        {
            ["v1"] = new TrafficFigures(9, 1.0, 10, 20, 45),
            ["v2"] = new TrafficFigures(1, 0.5, 30, 80, 1200),
        };

        var cut = Reviews();

        cut.WaitForAssertion(() => Assert.Equal("9 rps", cut.Find(Of("figures-rps-v1")).TextContent.Trim()));
        Assert.Equal("50.0% ok", cut.Find(Of("figures-success-v2")).TextContent.Trim());
        Assert.Equal("p99 1.2 s", cut.Find(Of("figures-p99-v2")).TextContent.Trim());
        Assert.Equal("– ok", cut.Find(Of("figures-success-v3")).TextContent.Trim());
        Assert.NotEmpty(cut.FindAll(Of("service-traffic") + " svg"));
    }

    [Fact]
    public void WithoutFigures_TheServicePageSaysWhy()
    {
        Traffic.Unavailable = (TrafficAvailability.NotConfigured, "Metrics are not configured: set Metrics:PrometheusUrl.");

        var cut = Reviews();

        cut.WaitForAssertion(() => Assert.Contains("Metrics:PrometheusUrl", cut.Find(Of("traffic-not-configured")).TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(cut.FindAll(Of("figures-nodata-v1")));
    }

    [Fact]
    public void Overview_ShowsRatesAndErrors_AndSortsByErrorRate()
    {
        Traffic.Services[("bookinfo", "reviews")] = new TrafficFigures(10, 0.98, null, null, null);
        Traffic.Services[("bookinfo", "details")] = new TrafficFigures(5, 0.5, null, null, null);

        var cut = Render<Overview>();

        cut.WaitForAssertion(() => Assert.Equal("10 rps", cut.Find(Of("rps-bookinfo-reviews")).TextContent.Trim()));
        Assert.Equal("50% errors", cut.Find(Of("errors-bookinfo-details")).TextContent.Trim());
        Assert.Equal("0 rps", cut.Find(Of("rps-bookinfo-productpage")).TextContent.Trim());

        var sort = cut.FindComponent<MudBlazor.MudSelect<ServiceSort>>();
        cut.InvokeAsync(() => sort.Instance.ValueChanged.InvokeAsync(ServiceSort.ErrorRate));

        cut.WaitForAssertion(() => Assert.Equal("row-bookinfo-details", cut.FindAll("[data-testid^='row-']")[0].GetAttribute("data-testid")));
    }

    [Fact]
    public void Preview_ShowsTheFiguresOfTheSubsetsThatGainTraffic()
    {
        Traffic.Subsets[("bookinfo", "reviews")] = new() { ["v3"] = new TrafficFigures(0.5, 0.9, 10, 20, 30) };
        var cut = Reviews();

        cut.Find(Of("route-all-to-v3")).Click();
        cut.Find(Of("apply-weights")).Click();

        Providers.WaitForAssertion(() => Assert.NotNull(Providers.Find(Of("preview-traffic"))));
        Assert.Equal("90.0% ok", Providers.Find(Of("preview-traffic") + " " + Of("figures-success-v3")).TextContent.Trim());
        Assert.Empty(Providers.FindAll(Of("preview-traffic") + " " + Of("figures-v1")));
    }
}
