using Bunit;
using MeshDashboard.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

public sealed class GatewaysAndOverviewTests : DashboardTestContext
{
    [Fact]
    public void Gateways_ShowServersAndBoundVirtualServices()
    {
        var cut = Render<Gateways>();

        var gateway = cut.Find(Of("gateway-myapp-myapp-gateway"));
        Assert.Contains("istio=ingressgateway", gateway.TextContent, StringComparison.Ordinal);
        Assert.Contains("myapp/myapp-public", gateway.TextContent, StringComparison.Ordinal);
        Assert.Contains("myapp.example.com", gateway.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Overview_PrerenderedBeforeTheCircuitConnectsShowsRows()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = Render<Overview>();

        Assert.NotEmpty(cut.FindAll(Of("row-bookinfo-reviews")));
        Assert.NotEmpty(cut.FindAll(Of("row-myapp-myapp")));
    }

    [Fact]
    public void Overview_ReadsItsFilterFromTheAddress()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?ns=myapp&q=myapp");

        var cut = Render<Overview>();

        Assert.NotEmpty(cut.FindAll(Of("row-myapp-myapp")));
        Assert.Empty(cut.FindAll(Of("row-bookinfo-reviews")));
        Assert.Equal("myapp", cut.Find(InputOf("service-search")).GetAttribute("value"));
    }

    [Fact]
    public void Overview_ChoosingNamespacesPutsThemInTheAddress()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = Render<Overview>();

        cut.Find(Of("namespace-filter")).Closest(".mud-input-control")!.MouseDown();
        Providers.WaitForElements(".mud-list-item").Single(i => i.TextContent.Trim() == "bookinfo").Click();
        Providers.WaitForElements(".mud-list-item").Single(i => i.TextContent.Trim() == "myapp").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("?ns=bookinfo&ns=myapp", navigation.Uri, StringComparison.Ordinal));
    }
}
