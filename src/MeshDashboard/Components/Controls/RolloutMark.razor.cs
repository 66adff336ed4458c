using MeshDashboard.Cluster.Rollouts;
using MeshDashboard.Mesh.Kubernetes;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Controls;

/// <summary>Follows the rollouts this replica last read and shows one only while it is in progress.</summary>
public sealed partial class RolloutMark : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private StoredRollout? _rollout;
    private Task _loop = Task.CompletedTask;

    [Parameter, EditorRequired]
    public required string Namespace { get; set; }

    [Parameter, EditorRequired]
    public required string Name { get; set; }

    [Inject]
    public required IRolloutClient Rollouts { get; init; }

    protected override void OnInitialized() => _rollout = Current(Rollouts.Board);

    protected override void OnAfterRender(bool firstRender)
    {
        // Only an interactive render follows the board; a prerender shows it as it is.
        if (firstRender)
        {
            _loop = FollowAsync(_stop.Token);
        }
    }

    private StoredRollout? Current(RolloutBoard board) =>
        board.Of(new ObjectRef(ResourceKind.Service, Namespace, Name)) is { Status.IsFinal: false } rollout ? rollout : null;

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var board in Rollouts.SubscribeAsync(cancellationToken))
            {
                var next = Current(board);
                if (next?.ResourceVersion != _rollout?.ResourceVersion)
                {
                    _rollout = next;
                    await InvokeAsync(StateHasChanged);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
