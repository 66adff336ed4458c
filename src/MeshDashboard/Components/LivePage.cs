using MeshDashboard.Cluster.Client;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components;

/// <summary>
/// A page that shows the mesh as it is now and follows it: it takes the current state when it starts and, once
/// interactive, every newer one, re-rendering only when <see cref="Show"/> says something visible changed.
/// </summary>
public abstract class LivePage : ComponentBase, IAsyncDisposable
{
    private readonly LiveState _updates = new();

    [Inject]
    public required IMeshDashboardClient Client { get; init; }

    protected override void OnInitialized()
    {
        Show(Client.Current);
        if (RendererInfo.IsInteractive)
        {
            _updates.Follow(Client, Show, action => InvokeAsync(action), StateHasChanged);
        }
    }

    /// <summary>Takes a state into the page; returns whether anything visible changed.</summary>
    protected abstract bool Show(MeshState state);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _updates.DisposeAsync();
    }
}
