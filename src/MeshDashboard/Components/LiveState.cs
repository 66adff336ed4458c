using MeshDashboard.Cluster.Client;

namespace MeshDashboard.Components;

/// <summary>
/// A page's live subscription to the mesh: every new state is handed to the page on the renderer's thread,
/// and the page re-renders only when what it shows changed. Disposing cancels the loop and waits for it.
/// </summary>
public sealed class LiveState : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <param name="client">Where the states come from.</param>
    /// <param name="show">Takes a state into the page; returns whether anything visible changed.</param>
    /// <param name="invokeAsync">The component's InvokeAsync, to run on its renderer.</param>
    /// <param name="render">The component's StateHasChanged.</param>
    public void Follow(IMeshDashboardClient client, Func<MeshState, bool> show, Func<Action, Task> invokeAsync, Action render) =>
        _loop = LoopAsync(client, show, invokeAsync, render, _stop.Token);

    private static async Task LoopAsync(IMeshDashboardClient client, Func<MeshState, bool> show, Func<Action, Task> invokeAsync, Action render, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var state in client.SubscribeAsync(cancellationToken))
            {
                await invokeAsync(() =>
                {
                    if (show(state))
                    {
                        render();
                    }
                });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        _stop.Dispose();
    }
}
