using System.Security.Claims;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Connection;
using MeshDashboard.Cluster.Diagnostics;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Authentication;

/// <summary>
/// Roles enforced where changes happen, not by hiding buttons: every preview and apply, from a page or the API, is
/// checked against the caller's role here, and the change is recorded under the caller's name (whatever author the
/// caller claims). What a change needs beyond the ReleaseManager role (weakening TLS) is judged by the pipeline on the
/// planned change itself; this class only tells it what the caller's role allows.
/// </summary>
public sealed class AuthorizingMeshDashboardClient(IMeshDashboardClient inner, ICurrentUser currentUser, ILogger<AuthorizingMeshDashboardClient> logger, bool impersonate = false)
    : IMeshDashboardClient
{
    /// <summary>The claim whose values are sent as Impersonate-Group (an OpenID provider's groups).</summary>
    public const string GroupsClaim = "groups";

    public ClusterInfo Cluster => inner.Cluster;

    public bool IsReady => inner.IsReady;

    public MeshState Current => inner.Current;

    public IAsyncEnumerable<MeshState> SubscribeAsync(CancellationToken cancellationToken) => inner.SubscribeAsync(cancellationToken);

    public string VersionOf(MeshService service) => inner.VersionOf(service);

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(ObjectRef service, CancellationToken cancellationToken) => inner.GetHistoryAsync(service, cancellationToken);

    public Task<IReadOnlyList<RecentChange>> GetRecentChangesAsync(CancellationToken cancellationToken) => inner.GetRecentChangesAsync(cancellationToken);

    public Task<ITrafficOperation> RollbackOperationAsync(ObjectRef service, string? revision, CancellationToken cancellationToken) =>
        inner.RollbackOperationAsync(service, revision, cancellationToken);

    public async Task<string?> WhyCannotChangeAsync(ObjectRef service, CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync();
        if (!Roles.CanChange(user))
        {
            return user.Identity?.IsAuthenticated == true
                ? $"Your role ({Roles.Describe(user)}) may view but not change traffic."
                : "You are not signed in.";
        }
        using (Impersonating(user))
        {
            return await inner.WhyCannotChangeAsync(service, cancellationToken);
        }
    }

    public async Task<ChangePreview> PreviewAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync();
        if (Refusal(user) is { } reason)
        {
            throw new OperationException([new FieldError("role", reason)]);
        }
        using (Impersonating(user))
        {
            return await inner.PreviewAsync(operation, AsCaller(request, user), cancellationToken);
        }
    }

    public async Task<ChangeOutcome> ApplyAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync();
        var name = user.Identity?.Name;
        var reason = string.IsNullOrEmpty(name) ? "You are not signed in." : Refusal(user);
        if (reason is not null)
        {
            LogRefused(logger, LogText.Safe(name ?? "anonymous"), Roles.Describe(user), operation.GetType().Name, operation.Service.ToString());
            return new ChangeOutcome(ChangeStatus.Forbidden, reason);
        }
        using (Impersonating(user))
        {
            return await inner.ApplyAsync(operation, AsCaller(request, user), cancellationToken);
        }
    }

    /// <summary>The request as the authenticated caller makes it: their name, and what their role allows.</summary>
    private static ChangeRequest AsCaller(ChangeRequest request, ClaimsPrincipal user) =>
        request with { Author = user.Identity?.Name ?? "", MayWeakenTls = Roles.IsAdmin(user) };

    private IDisposable? Impersonating(ClaimsPrincipal user) =>
        impersonate && user.Identity?.Name is { Length: > 0 } name
            ? ImpersonationScope.Use(new ClusterIdentity(name, [.. user.FindAll(GroupsClaim).Select(c => c.Value)]))
            : null;

    private static string? Refusal(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return "You are not signed in.";
        }
        if (!Roles.CanChange(user))
        {
            return $"Your role ({Roles.Describe(user)}) may view but not change traffic; ask for the {Roles.ReleaseManager} role.";
        }
        return null;
    }

    private static void LogRefused(ILogger logger, string user, string role, string operation, string service) =>
        logger.LogWarning("Refused {Operation} on {Service} for {User} ({Role})", operation, service, user, role);
}
