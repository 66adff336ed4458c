using System.Collections.Immutable;
using System.Globalization;
using MeshDashboard.Authentication;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Rollouts;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Mesh.Rollouts;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MeshDashboard.Components.Controls;

/// <summary>
/// The service's rollout: follows the board (the rollouts this replica last read) and ticks each second for the time
/// left. Starting and commands go through <see cref="IRolloutClient"/>; the role is checked here, on the server, before
/// every call (a disabled button is not a check).
/// </summary>
public sealed partial class RolloutPanel : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly RolloutForm _form = new();
    private StoredRollout? _rollout;
    private ExternalCanary? _external;
    private RolloutPlanPreview? _preview;
    private IReadOnlyList<FieldError> _errors = [];
    private bool _busy;
    private bool _showForm;
    private Task _loop = Task.CompletedTask;

    [Parameter, EditorRequired]
    public required MeshService Service { get; set; }

    [Parameter]
    public bool ReadOnly { get; set; }

    [Inject]
    public required IRolloutClient Rollouts { get; init; }

    [Inject]
    public required IMeshDashboardClient Client { get; init; }

    [Inject]
    public required ICurrentUser CurrentUser { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    private DateTimeOffset Now => Time.GetUtcNow();

    private bool Locked => ReadOnly || _busy;

    protected override void OnAfterRender(bool firstRender)
    {
        // Only an interactive render follows the rollout; a prerender shows the board as it is.
        if (firstRender)
        {
            _loop = FollowAsync(_stop.Token);
        }
    }

    protected override void OnParametersSet()
    {
        _external = ExternalCanary.Of(Service, Client.Current.Snapshot);
        _form.Canary ??= Service.Subsets.Length > 1 ? Service.Subsets[1].Name : null;
        _form.Stable ??= Service.Subsets.FirstOrDefault()?.Name;
        Show(Rollouts.Board);
    }

    private void Show(RolloutBoard board) =>
        _rollout = _showForm ? null : board.Of(Service.Ref);

    private Task FollowAsync(CancellationToken cancellationToken) => Task.WhenAll(FollowBoardAsync(cancellationToken), CountDownAsync(cancellationToken));

    private async Task FollowBoardAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var board in Rollouts.SubscribeAsync(cancellationToken))
            {
                await InvokeAsync(() =>
                {
                    Show(board);
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // The time left moves every second while a rollout runs; nothing else on the panel does.
    private async Task CountDownAsync(CancellationToken cancellationToken)
    {
        using var second = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
        try
        {
            while (await second.WaitForNextTickAsync(cancellationToken))
            {
                if (_rollout is { Status.IsFinal: false })
                {
                    await InvokeAsync(StateHasChanged);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<string?> AuthorAsync()
    {
        var user = await CurrentUser.GetAsync();
        if (!Roles.CanChange(user))
        {
            _errors = [new FieldError("role", "starting and steering a rollout needs the ReleaseManager role")];
            return null;
        }
        return user.Identity?.Name ?? "";
    }

    private async Task PreviewAsync() => await RunAsync(async author => _preview = await Rollouts.PreviewAsync(_form.ToPlan(Service.Ref, author), _stop.Token));

    private async Task StartAsync() => await RunAsync(async author =>
    {
        var started = await Rollouts.StartAsync(_form.ToPlan(Service.Ref, author), _stop.Token);
        _showForm = false;
        _preview = null;
        _rollout = started;
    });

    private async Task CommandAsync(RolloutCommandKind kind) => await RunAsync(async author => _rollout = await Rollouts.CommandAsync(Service.Ref, kind, author, _stop.Token));

    private void NewPlan()
    {
        _showForm = true;
        _rollout = null;
    }

    private async Task RunAsync(Func<string, Task> action)
    {
        _busy = true;
        _errors = [];
        try
        {
            if (await AuthorAsync() is { } author)
            {
                await action(author);
            }
        }
        catch (OperationException error)
        {
            _errors = error.Errors;
        }
        catch (Cluster.Changes.ClusterWriteException error)
        {
            _errors = [new FieldError("cluster", error.Message)];
        }
        finally
        {
            _busy = false;
        }
    }

    private static Color PhaseColor(RolloutPhase phase) => phase switch
    {
        RolloutPhase.Progressing => Color.Info,
        RolloutPhase.Paused => Color.Warning,
        RolloutPhase.Succeeded => Color.Success,
        _ => Color.Error,
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    /// <summary>The start form's text fields; read into a plan (and its field errors) when previewed or started.</summary>
    private sealed class RolloutForm
    {
        public string? Canary { get; set; }

        public string? Stable { get; set; }

        public string Steps { get; set; } = "10:1m, 50:2m, 100";

        public string Interval { get; set; } = "10s";

        public string Window { get; set; } = "1m";

        public string MinSuccessRate { get; set; } = "0.95";

        public string MaxP99Ms { get; set; } = "500";

        public string MinRequests { get; set; } = "20";

        public string OnFailure { get; set; } = "rollback";

        public RolloutPlan ToPlan(ObjectRef service, string author)
        {
            var errors = new List<FieldError>();
            var steps = ImmutableArray.CreateBuilder<RolloutStep>();
            foreach (var (part, i) in Steps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((p, i) => (p, i)))
            {
                var pieces = part.Split(':', 2, StringSplitOptions.TrimEntries);
                if (!int.TryParse(pieces[0].TrimEnd('%'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var weight))
                {
                    errors.Add(new FieldError($"steps[{i}].weight", "must be a whole percent, e.g. 10:1m"));
                }
                TimeSpan? pause = pieces.Length < 2 ? TimeSpan.Zero : pieces[1] == "manual" ? null : Durations.Parse(pieces[1]);
                if (pieces.Length == 2 && pieces[1] != "manual" && pause is null)
                {
                    errors.Add(new FieldError($"steps[{i}].pause", "must be a duration such as 30s or 2m, or manual"));
                }
                steps.Add(new RolloutStep(weight, pause));
            }
            var interval = Durations.Parse(Interval);
            var window = Durations.Parse(Window);
            if (interval is null)
            {
                errors.Add(new FieldError("gates.interval", "must be a duration such as 10s"));
            }
            if (window is null)
            {
                errors.Add(new FieldError("gates.window", "must be a duration such as 1m"));
            }
            double? Number(string text, string field)
            {
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
                errors.Add(new FieldError(field, "must be a number"));
                return null;
            }
            var minSuccess = Number(MinSuccessRate, "gates.minSuccessRate");
            var maxP99 = Number(MaxP99Ms, "gates.maxP99Ms");
            var minRequests = (int)(Number(MinRequests, "gates.minRequests") ?? 0);
            if (errors.Count > 0)
            {
                throw new OperationException(errors);
            }
            return new RolloutPlan(service, Canary ?? "", Stable ?? "", steps.ToImmutable(),
                new RolloutGates(interval!.Value, window!.Value, minSuccess, maxP99, minRequests, []),
                OnFailure == "pause" ? RolloutFailureAction.Pause : RolloutFailureAction.Rollback)
            {
                StartedBy = author,
            };
        }
    }
}
