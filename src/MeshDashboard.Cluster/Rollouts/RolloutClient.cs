using System.Collections.Immutable;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Mesh.Rollouts;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Cluster.Rollouts;

/// <summary>One step of a plan's preview: the weights it writes and the change preview of writing them on the mesh as it is now.</summary>
public sealed record RolloutStepPreview(int Index, RolloutStep Step, IReadOnlyDictionary<string, int> Weights, ChangePreview Change);

/// <summary>The whole plan before it starts: every step's change (diff, findings, the API server's dry run).</summary>
public sealed record RolloutPlanPreview(RolloutPlan Plan, ImmutableArray<RolloutStepPreview> Steps);

/// <summary>
/// Rollouts for the UI and the API: preview and start a plan, read one, and give it a person's command. The commands are
/// recorded in the cluster and carried out by whichever replica drives the rollout (this one is woken at once).
/// Callers check the caller's role first (ReleaseManager or Admin).
/// </summary>
public interface IRolloutClient
{
    RolloutBoard Board { get; }

    IAsyncEnumerable<RolloutBoard> SubscribeAsync(CancellationToken cancellationToken);

    /// <exception cref="OperationException">The plan is invalid; the errors name the request's fields.</exception>
    Task<RolloutPlanPreview> PreviewAsync(RolloutPlan plan, CancellationToken cancellationToken);

    /// <exception cref="OperationException">The plan is invalid, or the service has a rollout in progress (<see cref="OperationException.IsConflict"/>).</exception>
    Task<StoredRollout> StartAsync(RolloutPlan plan, CancellationToken cancellationToken);

    Task<StoredRollout?> GetAsync(ObjectRef service, CancellationToken cancellationToken);

    /// <exception cref="OperationException">The service has no rollout in progress (<see cref="OperationException.IsConflict"/>).</exception>
    Task<StoredRollout> CommandAsync(ObjectRef service, RolloutCommandKind kind, string author, CancellationToken cancellationToken);
}

internal sealed class RolloutClient(RolloutStore store, RolloutDriver driver, RolloutWakeUp wakeUp, IMeshDashboardClient dashboard, ITrafficMetrics metrics, TimeProvider time,
    IPromQlReader? promql = null) : IRolloutClient
{
    /// <summary>More steps than this are refused: each is previewed with a server dry run.</summary>
    public const int MaxSteps = 20;

    public RolloutBoard Board => driver.Board;

    public IAsyncEnumerable<RolloutBoard> SubscribeAsync(CancellationToken cancellationToken) => driver.SubscribeAsync(cancellationToken);

    public async Task<RolloutPlanPreview> PreviewAsync(RolloutPlan plan, CancellationToken cancellationToken)
    {
        Validate(plan);
        var steps = ImmutableArray.CreateBuilder<RolloutStepPreview>();
        for (var i = 0; i < plan.Steps.Length; i++)
        {
            var weights = plan.WeightsAt(plan.Steps[i].Weight);
            var change = await dashboard.PreviewAsync(new SetWeights(plan.Service, weights), new ChangeRequest(plan.StartedBy, "via rollout"), cancellationToken);
            steps.Add(new RolloutStepPreview(i, plan.Steps[i], weights, change));
        }
        return new RolloutPlanPreview(plan, steps.ToImmutable());
    }

    public async Task<StoredRollout> StartAsync(RolloutPlan plan, CancellationToken cancellationToken)
    {
        Validate(plan);
        if (!await store.CreateAsync(plan with { StartedAt = time.GetUtcNow() }, new RolloutStatus(), cancellationToken))
        {
            throw InProgress(plan.Service);
        }
        wakeUp.Now();
        return await store.GetAsync(plan.Service, cancellationToken) ?? throw InProgress(plan.Service);
    }

    public Task<StoredRollout?> GetAsync(ObjectRef service, CancellationToken cancellationToken) => store.GetAsync(service, cancellationToken);

    public async Task<StoredRollout> CommandAsync(ObjectRef service, RolloutCommandKind kind, string author, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(service, cancellationToken) is not { Status.IsFinal: false })
        {
            throw new OperationException([new FieldError("service", $"{service.Namespace}/{service.Name} has no rollout in progress")]) { IsConflict = true };
        }
        await store.AddCommandAsync(service, kind, author, time.GetUtcNow(), cancellationToken);
        wakeUp.Now();
        return await store.GetAsync(service, cancellationToken) ?? throw new OperationException([new FieldError("service", "the rollout was removed")]) { IsConflict = true };
    }

    private void Validate(RolloutPlan plan)
    {
        var service = dashboard.Current.FindService(plan.Service.Namespace, plan.Service.Name);
        var errors = plan.Validate(service).ToList();
        if (!plan.Steps.IsDefault && plan.Steps.Length > MaxSteps)
        {
            errors.Add(new FieldError("steps", $"at most {MaxSteps} steps"));
        }
        if (!plan.Gates.PromQl.IsDefaultOrEmpty && promql is null)
        {
            errors.Add(new FieldError("gates.promql", metrics.Source == TrafficSources.Sandbox
                ? "needs Prometheus (Metrics:PrometheusUrl): the sandbox's simulated figures answer no PromQL; use minSuccessRate, maxP99Ms and minRequests, or point the dashboard at a Prometheus"
                : "needs Prometheus (Metrics:PrometheusUrl), which is not configured"));
        }
        if (errors.Count > 0)
        {
            throw new OperationException(errors);
        }
    }

    private static OperationException InProgress(ObjectRef service) =>
        new([new FieldError("service", $"{service.Namespace}/{service.Name} already has a rollout in progress; pause, promote or abort it first")]) { IsConflict = true };
}

/// <summary>Wakes the driving loop at once (a plan started or a command given on this replica) instead of at its next tick.</summary>
public sealed class RolloutWakeUp
{
    private readonly System.Threading.Channels.Channel<bool> _signals = System.Threading.Channels.Channel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });

    public void Now() => _signals.Writer.TryWrite(true);

    /// <summary>Completes when woken (true) or after <paramref name="delay"/> (false), by <paramref name="time"/>'s clock.</summary>
    public async Task<bool> WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var woken = _signals.Reader.WaitToReadAsync(timeout.Token).AsTask();
        var elapsed = Task.Delay(delay, time, timeout.Token);
        var first = await Task.WhenAny(woken, elapsed);
        await timeout.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        _signals.Reader.TryRead(out _);
        return first == woken;
    }
}
