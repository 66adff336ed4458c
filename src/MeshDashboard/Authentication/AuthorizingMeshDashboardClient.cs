using System.Security.Claims;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Connection;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Authentication;

/// <summary>
/// Roles enforced where changes happen, not by hiding buttons: every preview and apply, from a page or the
/// API, is checked against the caller's role here, and the change is recorded under the caller's name
/// (whatever author the caller claims).
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

    public async Task<ChangePreview> PreviewAsync(ITrafficOperation operation, CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync();
        if (Refusal(user, operation) is { } reason)
        {
            throw new OperationException([new FieldError("role", reason)]);
        }
        using (Impersonating(user))
        {
            return await inner.PreviewAsync(operation, cancellationToken);
        }
    }

    public async Task<ChangeOutcome> ApplyAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync();
        var name = user.Identity?.Name;
        var reason = string.IsNullOrEmpty(name) ? "You are not signed in." : Refusal(user, operation);
        if (reason is not null)
        {
            LogRefused(logger, name ?? "anonymous", Roles.Describe(user), operation.GetType().Name, operation.Service.ToString());
            return new ChangeOutcome(ChangeStatus.Forbidden, reason);
        }
        using (Impersonating(user))
        {
            return await inner.ApplyAsync(operation, request with { Author = name! }, cancellationToken);
        }
    }

    private IDisposable? Impersonating(ClaimsPrincipal user) =>
        impersonate && user.Identity?.Name is { Length: > 0 } name
            ? ImpersonationScope.Use(new ClusterIdentity(name, [.. user.FindAll(GroupsClaim).Select(c => c.Value)]))
            : null;

    private static string? Refusal(ClaimsPrincipal user, ITrafficOperation operation)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return "You are not signed in.";
        }
        if (!Roles.CanChange(user))
        {
            return $"Your role ({Roles.Describe(user)}) may view but not change traffic; ask for the {Roles.ReleaseManager} role.";
        }
        if (operation is SetTrafficPolicy { Policy.TlsMode: not null and not "ISTIO_MUTUAL" and not "MUTUAL" } && !Roles.IsAdmin(user))
        {
            return $"Weakening mesh TLS needs the {Roles.Admin} role.";
        }
        return null;
    }

    private static void LogRefused(ILogger logger, string user, string role, string operation, string service) =>
        logger.LogWarning("Refused {Operation} on {Service} for {User} ({Role})", operation, service, user, role);
}
