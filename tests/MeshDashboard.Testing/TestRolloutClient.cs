using System.Collections.Immutable;
using System.Security.Claims;
using MeshDashboard.Authentication;
using MeshDashboard.Cluster.Rollouts;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Mesh.Rollouts;

namespace MeshDashboard.Testing;

/// <summary>
/// Rollouts set by the test (<see cref="Publish"/>), and the commands and plans the UI sends, recorded. Subscribers get
/// the board now and each one published later.
/// </summary>
public sealed class TestRolloutClient : IRolloutClient
{
    private readonly Lock _gate = new();
    private readonly List<System.Threading.Channels.Channel<RolloutBoard>> _subscribers = [];

    public RolloutBoard Board { get; private set; } = RolloutBoard.Empty;

    public List<(ObjectRef Service, RolloutCommandKind Kind, string Author)> Commands { get; } = [];

    public List<RolloutPlan> Started { get; } = [];

    public void Publish(params StoredRollout[] rollouts)
    {
        lock (_gate)
        {
            Board = new RolloutBoard(rollouts.ToImmutableDictionary(r => r.Service));
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(Board);
            }
        }
    }

    public async IAsyncEnumerable<RolloutBoard> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var published = System.Threading.Channels.Channel.CreateUnbounded<RolloutBoard>();
        RolloutBoard now;
        lock (_gate)
        {
            _subscribers.Add(published);
            now = Board;
        }
        yield return now;
        while (await published.Reader.WaitToReadAsync(cancellationToken))
        {
            while (published.Reader.TryRead(out var board))
            {
                yield return board;
            }
        }
    }

    public Task<RolloutPlanPreview> PreviewAsync(RolloutPlan plan, CancellationToken cancellationToken) => Task.FromResult(new RolloutPlanPreview(plan, []));

    public Task<StoredRollout> StartAsync(RolloutPlan plan, CancellationToken cancellationToken)
    {
        Started.Add(plan);
        return Task.FromResult(new StoredRollout("test", "1", plan, new RolloutStatus(), null));
    }

    public Task<StoredRollout?> GetAsync(ObjectRef service, CancellationToken cancellationToken) => Task.FromResult(Board.Of(service));

    public Task<StoredRollout> CommandAsync(ObjectRef service, RolloutCommandKind kind, string author, CancellationToken cancellationToken)
    {
        Commands.Add((service, kind, author));
        return Task.FromResult(Board.Of(service) ?? throw new OperationException([new FieldError("service", "no rollout")]) { IsConflict = true });
    }
}

/// <summary>A signed-in user with the given role, for components that check it themselves.</summary>
public sealed class TestCurrentUser(string name = "alice", string role = Roles.ReleaseManager) : ICurrentUser
{
    public Task<ClaimsPrincipal> GetAsync() =>
        Task.FromResult(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test")));
}
