using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Pages;

/// <summary>
/// The latest changes across every service, for "what changed just before the graphs turned red". The list is part
/// of the watched state, so a change made anywhere (another person, another replica, the API) appears here live.
/// </summary>
public sealed partial class Changes : IAsyncDisposable
{
    private readonly LiveState _updates = new();
    private IReadOnlyList<RecentChange> _changes = [];
    private bool _ready;

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

    /// <summary>Takes the list from the state; returns whether it changed.</summary>
    private bool Show(MeshState state)
    {
        var changes = state.RecentChanges;
        var ready = Client.IsReady;
        if (ready == _ready && (ReferenceEquals(changes, _changes) || changes.SequenceEqual(_changes)))
        {
            return false;
        }
        _changes = changes;
        _ready = ready;
        return true;
    }

    public ValueTask DisposeAsync() => _updates.DisposeAsync();
}
