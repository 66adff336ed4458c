using System.Collections.Immutable;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MeshDashboard.Testing;

/// <summary>
/// A real OpenID provider (OpenIddict) on a free loopback port: authorization code flow with PKCE required,
/// one confidential client, ephemeral keys, a userinfo endpoint. There is no login page: the authorization
/// endpoint signs in <see cref="User"/> at once, so a test drives the whole flow with plain HTTP.
/// </summary>
/// <remarks>
/// Start it before the dashboard (the dashboard needs its address), then register the client once the
/// dashboard knows its own (the redirect URI is the dashboard's <c>/signin-oidc</c>).
/// </remarks>
public sealed class TestOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "mesh-dashboard";
    public const string ClientSecret = "test-client-secret";
    public const string AuthorizePath = "/connect/authorize";
    public const string EndSessionPath = "/connect/endsession";

    private readonly WebApplication _app;

    private TestOpenIdProvider(WebApplication app, Uri issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    /// <summary>The provider's address, which is also its issuer (configure it as the dashboard's Authority).</summary>
    public Uri Issuer { get; }

    /// <summary>Who the authorization endpoint signs in; change it before the flow starts.</summary>
    public TestOpenIdUser User { get; set; } = new("olivia", ["release-managers"]);

    public static async Task<TestOpenIdProvider> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var services = builder.Services;
        var database = $"openid-{Guid.NewGuid():N}";
        services.AddDbContext<DbContext>(o =>
        {
            o.UseInMemoryDatabase(database);
            o.UseOpenIddict();
        });
        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(o =>
            {
                // No SetIssuer: the port is only known once Kestrel listens, and without one OpenIddict
                // takes the issuer from the request, which is always this loopback address.
                o.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))
                    .SetTokenEndpointUris("connect/token")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetEndSessionEndpointUris(EndSessionPath.TrimStart('/'));
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile);
                // Keys that live as long as the process: nothing is written to a certificate store.
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // Plain http on loopback only.
                    .DisableTransportSecurityRequirement();
            });

        var app = builder.Build();
        TestOpenIdProvider? provider = null;
        app.UseAuthentication();
        app.MapMethods(AuthorizePath, ["GET", "POST"], (HttpContext context) => provider!.Authorize(context));
        app.MapMethods("/connect/userinfo", ["GET", "POST"], (Delegate)UserInfoAsync);
        app.MapMethods(EndSessionPath, ["GET", "POST"], () =>
            Results.SignOut(null, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]));

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider = new TestOpenIdProvider(app, new Uri(address.TrimEnd('/') + "/"));
        return provider;
    }

    /// <summary>Registers the confidential client for a dashboard at <paramref name="dashboard"/>.</summary>
    public async Task RegisterClientAsync(Uri dashboard, CancellationToken cancellationToken)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            RedirectUris = { new Uri(dashboard, "signin-oidc") },
            PostLogoutRedirectUris = { new Uri(dashboard, "signout-callback-oidc") },
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        }, cancellationToken);
    }

    private IResult Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        var user = User;
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Name)
            .SetClaim(Claims.Name, user.Name)
            .SetClaims("groups", [.. user.Groups]);
        identity.SetScopes(request.GetScopes());
        // The dashboard maps roles from the id_token; the access token carries the same for userinfo.
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal is not { } principal)
        {
            return Results.Challenge(null, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        return Results.Ok(new Dictionary<string, object?>
        {
            [Claims.Subject] = principal.GetClaim(Claims.Subject),
            [Claims.Name] = principal.GetClaim(Claims.Name),
            ["groups"] = principal.GetClaims("groups"),
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>The person the test provider signs in.</summary>
public sealed record TestOpenIdUser(string Name, ImmutableArray<string> Groups);
