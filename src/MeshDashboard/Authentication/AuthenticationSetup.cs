using System.Security.Claims;
using MeshDashboard.Cluster.Diagnostics;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MeshDashboard.Authentication;

/// <summary>
/// Sign-in and authorization for every mode. Pages need a signed-in user (nothing of the cluster shows before),
/// the API answers 401/403 instead of redirecting, API tokens work in Local and Oidc modes alike.
/// </summary>
public static class AuthenticationSetup
{
    public const string SignInPath = "/signin";
    private const string SmartScheme = "MeshDashboard";

    public static AuthOptions AddDashboardAuthentication(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AuthOptions.SectionName);
        var options = section.Get<AuthOptions>() ?? new AuthOptions();
        Validate(options);
        var services = builder.Services;
        // The start-up settings (the mode, lifetimes); accounts and tokens are read as they are now (AccountDirectory).
        services.AddSingleton(options);
        services.Configure<AuthOptions>(section);
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<AuthenticationStateProvider, RevalidatingSessionStateProvider>();
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddCascadingAuthenticationState();

        if (options.Mode == AuthMode.None)
        {
            LoopbackGuard.CheckConfiguration(builder.Configuration);
            services.AddAuthentication(LocalAdministratorHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, LocalAdministratorHandler>(LocalAdministratorHandler.SchemeName, null);
        }
        else
        {
            var authentication = services.AddAuthentication(o =>
                {
                    o.DefaultScheme = SmartScheme;
                    o.DefaultChallengeScheme = SmartScheme;
                })
                .AddPolicyScheme(SmartScheme, "Cookie, OpenID Connect or API token", o => o.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? ApiTokenHandler.SchemeName
                        : CookieAuthenticationDefaults.AuthenticationScheme)
                .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null)
                .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
                {
                    o.LoginPath = SignInPath;
                    // Signed in but without a role: say so on a page anyone may see (no redirect loop).
                    o.AccessDeniedPath = SignInPath + "?denied=1";
                    o.Cookie.Name = "MeshDashboard.Session";
                    o.Cookie.HttpOnly = true;
                    o.Cookie.SameSite = SameSiteMode.Lax;
                    o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                    o.SlidingExpiration = true;
                    o.ExpireTimeSpan = options.SessionLifetime;
                    // Every request re-checks the session against the accounts as configured now.
                    o.Events.OnValidatePrincipal = async context =>
                    {
                        if (context.Principal is { } principal && !context.HttpContext.RequestServices.GetRequiredService<AccountDirectory>().IsCurrent(principal))
                        {
                            context.RejectPrincipal();
                            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                        }
                    };
                    o.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
                    o.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
                });
            if (options.Mode == AuthMode.Oidc)
            {
                authentication.AddOpenIdConnect(OpenIdConnectDefaults.AuthenticationScheme, o => ConfigureOidc(o, options.Oidc));
            }
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.CanViewPolicy, p => p.RequireAuthenticatedUser().RequireRole(Roles.All))
            .AddPolicy(Roles.CanChangePolicy, p => p.RequireAuthenticatedUser().RequireRole(Roles.ReleaseManager, Roles.Admin))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.All).Build());
        return options;
    }

    public static void UseDashboardAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
    }

    public static void MapDashboardAuthentication(this WebApplication app, AuthOptions options)
    {
        var auth = app.MapGroup("/auth").AllowAnonymous();
        auth.MapPost("/signin", async ([FromForm] string? user, [FromForm] string? password, [FromForm] string? returnUrl, HttpContext context,
                AccountDirectory accounts, SignInThrottle throttle, ILogger<AuthOptions> logger) =>
            {
                if (options.Mode != AuthMode.Local)
                {
                    return Results.NotFound();
                }
                var name = user ?? "";
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                if (throttle.IsBlocked(name, address))
                {
                    logger.LogWarning("Sign-in for {User} from {Address} refused: too many failed attempts", LogText.Safe(name), address);
                    return Results.Problem("Too many failed sign-ins for this account; wait a minute.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts");
                }
                var account = accounts.FindAccount(name);
                var valid = account is not null && PasswordHashing.Verify(password ?? "", account.PasswordHash);
                if (account is null)
                {
                    PasswordHashing.VerifyNothing(password ?? "");
                }
                if (!valid)
                {
                    throttle.RecordFailure(name, address);
                    // The user name is logged to trace attacks (escaped: it is the attacker's text); the password never is.
                    logger.LogWarning("Failed sign-in for {User} from {Address}", LogText.Safe(name), address);
                    return Results.Redirect($"{SignInPath}?failed=1&returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}");
                }
                var identity = new ClaimsIdentity(
                    [
                        new Claim(ClaimTypes.Name, account!.Name), new Claim(ClaimTypes.Role, account.Role), new Claim(AccountDirectory.MethodClaim, "local"),
                        new Claim(AccountDirectory.PasswordStampClaim, AccountDirectory.PasswordStamp(account)),
                    ],
                    CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
                await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                logger.LogInformation("{User} signed in ({Role})", LogText.Safe(account.Name), account.Role);
                return Results.Redirect(SafeReturnUrl(returnUrl));
            });

        auth.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            // The form carries only the antiforgery token, so nothing binds it: check it here.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }
            if (options.Mode == AuthMode.None)
            {
                return Results.Redirect("/");
            }
            if (options.Mode == AuthMode.Oidc && await HasEndSessionEndpointAsync(context))
            {
                // Ends the provider's session too (RP-initiated logout), else the next "Sign in" would pass straight
                // through on a shared machine. The provider sends the browser back to the sign-in page.
                return Results.SignOut(new AuthenticationProperties { RedirectUri = SignInPath },
                    [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
            }
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(SignInPath);
        });

        if (options.Mode == AuthMode.Oidc)
        {
            auth.MapGet("/oidc", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]));
        }
    }

    private static async Task<bool> HasEndSessionEndpointAsync(HttpContext context)
    {
        var oidc = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        if (oidc.ConfigurationManager is null)
        {
            return false;
        }
        var configuration = await oidc.ConfigurationManager.GetConfigurationAsync(context.RequestAborted);
        return !string.IsNullOrEmpty(configuration.EndSessionEndpoint);
    }

    /// <summary>
    /// Only paths of this site, judged as <c>Url.IsLocalUrl</c> does: "/" alone or "/" followed by anything but "/" or
    /// "\" (browsers read both as the start of another host), and no control characters (a tab or line break is
    /// dropped or refused by browsers, which turns "/\t/evil.example" into "//evil.example").
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl[0] == '/' && !returnUrl.Any(char.IsControl)
            && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            ? returnUrl
            : "/";

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/openapi"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static void ConfigureOidc(OpenIdConnectOptions o, OidcSettings settings)
    {
        o.Authority = settings.Authority;
        o.ClientId = settings.ClientId;
        o.ClientSecret = settings.ClientSecret;
        o.ResponseType = "code";
        o.UsePkce = true;
        // The provider answers with a redirect (a top-level GET), not the handler's default form_post (a cross-site
        // POST): then the correlation and nonce cookies can be SameSite=Lax, and need Secure only when the request
        // is https. A cross-site POST carries only SameSite=None cookies, which browsers accept only with Secure,
        // so form_post cannot work on plain http. The code in the URL is single-use and bound to the PKCE verifier.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        o.MapInboundClaims = false;
        o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        o.TokenValidationParameters.NameClaimType = "name";
        o.Scope.Clear();
        foreach (var scope in settings.Scopes)
        {
            o.Scope.Add(scope);
        }
        o.ClaimActions.MapJsonKey(settings.GroupsClaim, settings.GroupsClaim);
        o.Events.OnTokenValidated = context =>
        {
            // Keep only the ID token (as the sign-out hint the provider asks for); access tokens are not needed.
            if ((context.TokenEndpointResponse?.IdToken ?? context.ProtocolMessage?.IdToken) is { Length: > 0 } idToken)
            {
                context.Properties?.StoreTokens([new AuthenticationToken { Name = OpenIdConnectParameterNames.IdToken, Value = idToken }]);
            }
            if (context.Principal?.Identity is ClaimsIdentity identity)
            {
                var groups = identity.FindAll(settings.GroupsClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
                var role = OidcRoles.RoleFor(groups, settings);
                if (role is not null)
                {
                    identity.AddClaim(new Claim(identity.RoleClaimType, role));
                }
            }
            return Task.CompletedTask;
        };
        o.Events.OnUserInformationReceived = context =>
        {
            if (context.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst(identity.RoleClaimType) is null &&
                context.User.RootElement.TryGetProperty(settings.GroupsClaim, out var groupsElement) && groupsElement.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                var groups = groupsElement.EnumerateArray().Select(g => g.GetString() ?? "").ToHashSet(StringComparer.Ordinal);
                if (OidcRoles.RoleFor(groups, settings) is { } role)
                {
                    identity.AddClaim(new Claim(identity.RoleClaimType, role));
                }
            }
            return Task.CompletedTask;
        };
    }

    public static void Validate(AuthOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.Local.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Local[i].Name))
            {
                problems.Add($"Auth:Local:{i}:Name is required");
            }
            if (!options.Local[i].PasswordHash.StartsWith("pbkdf2-sha256$", StringComparison.Ordinal))
            {
                problems.Add($"Auth:Local:{i}:PasswordHash must be a hash from 'MeshDashboard hash-password', never a password");
            }
            if (!Roles.IsKnown(options.Local[i].Role))
            {
                problems.Add($"Auth:Local:{i}:Role must be one of {string.Join(", ", Roles.All)}");
            }
        }
        for (var i = 0; i < options.ApiTokens.Count; i++)
        {
            var token = options.ApiTokens[i];
            if (string.IsNullOrWhiteSpace(token.Name))
            {
                problems.Add($"Auth:ApiTokens:{i}:Name is required");
            }
            if (token.Sha256.Length != 64 || !token.Sha256.All(Uri.IsHexDigit))
            {
                problems.Add($"Auth:ApiTokens:{i}:Sha256 must be the 64-digit hex SHA-256 of the token");
            }
            if (!Roles.IsKnown(token.Role))
            {
                problems.Add($"Auth:ApiTokens:{i}:Role must be one of {string.Join(", ", Roles.All)}");
            }
        }
        if (options.SessionLifetime <= TimeSpan.Zero)
        {
            problems.Add("Auth:SessionLifetime must be longer than zero (e.g. 08:00:00)");
        }
        if (options.SessionRevalidationInterval <= TimeSpan.Zero)
        {
            problems.Add("Auth:SessionRevalidationInterval must be longer than zero (e.g. 00:00:30)");
        }
        if (options.Mode == AuthMode.Local && options.Local.Count == 0)
        {
            problems.Add("Auth:Mode is Local but no Auth:Local accounts are configured");
        }
        if (options.Mode == AuthMode.Oidc && (string.IsNullOrWhiteSpace(options.Oidc.Authority) || string.IsNullOrWhiteSpace(options.Oidc.ClientId)))
        {
            problems.Add("Auth:Mode is Oidc: set Auth:Oidc:Authority and Auth:Oidc:ClientId");
        }
        if (problems.Count > 0)
        {
            throw new AuthenticationSettingsException("Authentication settings are invalid: " + string.Join("; ", problems) + ".");
        }
    }
}

/// <summary>The Auth settings cannot work as given; the message names each setting and the rule it breaks.</summary>
public sealed class AuthenticationSettingsException(string message) : InvalidOperationException(message);

/// <summary>Maps an OpenID Connect user's groups to the strongest role they grant.</summary>
public static class OidcRoles
{
    public static string? RoleFor(IReadOnlySet<string> groups, OidcSettings settings)
    {
        if (settings.AdminGroups.Any(groups.Contains))
        {
            return Roles.Admin;
        }
        if (settings.ReleaseManagerGroups.Any(groups.Contains))
        {
            return Roles.ReleaseManager;
        }
        return settings.ViewerGroups.Count == 0 || settings.ViewerGroups.Any(groups.Contains) ? Roles.Viewer : null;
    }
}
