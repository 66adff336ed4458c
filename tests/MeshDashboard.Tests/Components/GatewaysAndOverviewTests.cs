using Bunit;
using MeshDashboard.Components.Pages;
using Microsoft.AspNetCore.Components;
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
}
