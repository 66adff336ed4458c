using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace MeshDashboard.Authentication;

/// <summary>
/// A live page (a Blazor circuit) keeps the identity it was opened with; this checks it against the current accounts
/// every <see cref="RevalidationInterval"/>, so a removed account or a changed role reaches open pages within that time
/// (the circuit then acts as signed out, and every change it asks for is refused).
/// </summary>
public sealed class RevalidatingSessionStateProvider(ILoggerFactory loggerFactory, AccountDirectory accounts, AuthOptions options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.SessionRevalidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(accounts.IsCurrent(authenticationState.User));
}
