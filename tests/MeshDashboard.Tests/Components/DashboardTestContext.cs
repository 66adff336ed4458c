using Bunit;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Testing;
using MeshDashboard.Tests.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace MeshDashboard.Tests.Components;

/// <summary>
/// A bUnit context with MudBlazor's services, the test client on the demo mesh, an interactive renderer and the
/// providers (popover, dialog, snackbar) rendered, as the layout does.
/// </summary>
public abstract class DashboardTestContext : BunitContext
{
    /// <param name="snapshot">The mesh shown; the demo mesh when null.</param>
    /// <param name="time">The clock components read and set timers on; the system's when null.</param>
    protected DashboardTestContext(MeshSnapshot? snapshot = null, TimeProvider? time = null)
    {
        Client = new TestMeshDashboardClient(snapshot ?? DemoSnapshot.Build());
        Services.AddMudServices();
        Services.AddSingleton<IMeshDashboardClient>(Client);
        Services.AddSingleton<MeshDashboard.Cluster.Metrics.ITrafficMetrics>(Traffic);
        Services.AddSingleton<MeshDashboard.Cluster.Rollouts.IRolloutClient>(Rollouts);
        Services.AddSingleton<MeshDashboard.Authentication.ICurrentUser>(new TestCurrentUser());
        Services.AddSingleton(time ?? TimeProvider.System);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Providers = Render<Providers>();
    }

    protected TestMeshDashboardClient Client { get; }

    /// <summary>The figures pages show; set them before rendering.</summary>
    protected TestTrafficMetrics Traffic { get; } = new();

    /// <summary>The rollouts pages show; publish them before or while rendering.</summary>
    protected TestRolloutClient Rollouts { get; } = new();

    /// <summary>The popover, dialog and snackbar providers; dialogs render here.</summary>
    protected IRenderedComponent<Providers> Providers { get; }
}

/// <summary>The providers MainLayout renders, for tests.</summary>
public sealed class Providers : ComponentBase
{
    protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    }
}

/// <summary>Finding the elements browser tests drive, by data-testid.</summary>
public static class TestIds
{
    public static string Of(string id) => $"[data-testid='{id}']";

    /// <summary>The input of a MudBlazor field, whether the attribute lands on the input or on a wrapper.</summary>
    public static string InputOf(string id) => $"input[data-testid='{id}'], [data-testid='{id}'] input";
}
