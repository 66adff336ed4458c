using System.Runtime.CompilerServices;
using MeshDashboard.Cluster.Client;

namespace MeshDashboard.Components;

/// <summary>
/// A component's live feed: every new item (a mesh state from the watch, or a periodic read such as traffic figures)
/// is handed to the component on its renderer's thread, and the component re-renders only when what it shows changed.
/// Disposing cancels the loop and waits for it.
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
        _loop = LoopAsync(client.SubscribeAsync(_stop.Token), show, invokeAsync, render, _stop.Token);

    /// <summary>
    /// Reads now and then once per <paramref name="interval"/> (a read answering null is skipped). The reads of traffic
    /// figures go through <c>ITrafficMetrics</c>, which shares them between every open page.
    /// </summary>
    public void Follow<T>(TimeSpan interval, Func<CancellationToken, Task<T?>> read, Func<T, bool> show, Func<Action, Task> invokeAsync, Action render)
        where T : class =>
        _loop = LoopAsync(PeriodicAsync(interval, read, _stop.Token), show, invokeAsync, render, _stop.Token);

    private static async IAsyncEnumerable<T> PeriodicAsync<T>(TimeSpan interval, Func<CancellationToken, Task<T?>> read, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            if (await read(cancellationToken) is { } item)
            {
                yield return item;
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private static async Task LoopAsync<T>(IAsyncEnumerable<T> items, Func<T, bool> show, Func<Action, Task> invokeAsync, Action render, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in items.WithCancellation(cancellationToken))
            {
                await invokeAsync(() =>
                {
                    if (show(item))
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
