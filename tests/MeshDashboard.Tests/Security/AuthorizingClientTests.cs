using System.Security.Claims;
using MeshDashboard.Authentication;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshDashboard.Tests.Security;

/// <summary>The role check every UI change passes through (a page cannot reach the cluster any other way).</summary>
public sealed class AuthorizingClientTests
{
    private static readonly ObjectRef MyApp = new(ResourceKind.Service, "myapp", "myapp");

    private sealed class FixedUser(ClaimsPrincipal principal) : ICurrentUser
    {
        public Task<ClaimsPrincipal> GetAsync() => Task.FromResult(principal);
    }

    private static ClaimsPrincipal User(string name, string? role) => new(new ClaimsIdentity(
        role is null ? [new Claim(ClaimTypes.Name, name)] : [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)],
        "test", ClaimTypes.Name, ClaimTypes.Role));

    private static (AuthorizingMeshDashboardClient Client, TestMeshDashboardClient Inner) Create(ClaimsPrincipal user)
    {
        var inner = new TestMeshDashboardClient(MeshSnapshot.Empty);
        return (new AuthorizingMeshDashboardClient(inner, new FixedUser(user), NullLogger<AuthorizingMeshDashboardClient>.Instance), inner);
    }

    [Fact]
    public async Task Viewer_IsRefusedAndNothingReachesTheCluster()
    {
        var (client, inner) = Create(User("victor", Roles.Viewer));

        var outcome = await client.ApplyAsync(new RouteAllTo(MyApp, "v1"), new ChangeRequest("victor"), TestContext.Current.CancellationToken);
        var preview = await Assert.ThrowsAsync<OperationException>(() => client.PreviewAsync(new RouteAllTo(MyApp, "v1"), new ChangeRequest(""), TestContext.Current.CancellationToken));

        Assert.Equal(ChangeStatus.Forbidden, outcome.Status);
        Assert.Contains("Viewer", outcome.Message);
        Assert.Equal("role", preview.Errors.Single().Field);
        Assert.Empty(inner.Applied);
        Assert.Empty(inner.Previewed);
    }

    [Fact]
    public async Task Anonymous_IsRefused()
    {
        var (client, inner) = Create(new ClaimsPrincipal(new ClaimsIdentity()));

        var outcome = await client.ApplyAsync(new RouteAllTo(MyApp, "v1"), new ChangeRequest("someone"), TestContext.Current.CancellationToken);

        Assert.Equal(ChangeStatus.Forbidden, outcome.Status);
        Assert.Empty(inner.Applied);
    }

    [Fact]
    public async Task ReleaseManager_ChangesUnderTheirOwnName_WhateverAuthorTheCallerClaims()
    {
        var (client, inner) = Create(User("alice", Roles.ReleaseManager));

        await client.ApplyAsync(new RouteAllTo(MyApp, "v1"), new ChangeRequest("mallory"), TestContext.Current.CancellationToken);

        Assert.Equal("alice", inner.Applied.Single().Request.Author);
    }

    [Fact]
    public async Task OnlyAnAdmin_IsAllowedToWeakenTls_WhateverTheCallerClaims()
    {
        var (asReleaseManager, managerInner) = Create(User("alice", Roles.ReleaseManager));
        var (asAdmin, adminInner) = Create(User("ada", Roles.Admin));
        var disable = new SetTrafficPolicy(MyApp, null, new TrafficPolicySettings(TlsMode: "DISABLE"));

        await asReleaseManager.ApplyAsync(disable, new ChangeRequest("alice") { MayWeakenTls = true }, TestContext.Current.CancellationToken);
        await asAdmin.ApplyAsync(disable, new ChangeRequest("ada"), TestContext.Current.CancellationToken);

        // The pipeline judges the planned change; this layer only says what the role allows.
        Assert.False(managerInner.Applied.Single().Request.MayWeakenTls);
        Assert.True(adminInner.Applied.Single().Request.MayWeakenTls);
    }
}
