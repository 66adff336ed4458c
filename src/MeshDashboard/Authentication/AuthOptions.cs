namespace MeshDashboard.Authentication;

public enum AuthMode
{
    /// <summary>No sign-in: loopback only; whoever reaches the port acts as a local administrator ("local").</summary>
    None,
    /// <summary>Accounts with salted, slow password hashes in configuration.</summary>
    Local,
    /// <summary>OpenID Connect (authorization code with PKCE); roles from a groups claim.</summary>
    Oidc,
}

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.None;

    public List<LocalUser> Local { get; set; } = [];

    public List<ApiToken> ApiTokens { get; set; } = [];

    public OidcSettings Oidc { get; set; } = new();

    /// <summary>Failed sign-ins allowed per minute for one account, and for one account from one address (local accounts).</summary>
    public int SignInAttemptsPerMinute { get; set; } = 5;

    /// <summary>How long a sign-in lasts without use (sliding); each use extends it.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often an open page checks that its signed-in account still exists with the same role.</summary>
    public TimeSpan SessionRevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary><c>Auth:Local:&lt;i&gt;</c>: a local account. <see cref="PasswordHash"/> comes from <c>MeshDashboard hash-password</c>.</summary>
public sealed class LocalUser
{
    public string Name { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public string Role { get; set; } = Roles.Viewer;
}

/// <summary><c>Auth:ApiTokens:&lt;i&gt;</c>: a pipeline's token, known only by its SHA-256 (hex); the token itself is never stored.</summary>
public sealed class ApiToken
{
    public string Name { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public string Role { get; set; } = Roles.Viewer;
}

/// <summary><c>Auth:Oidc</c>: the OpenID provider and how its groups map to roles.</summary>
public sealed class OidcSettings
{
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    /// <summary>The claim that lists the user's groups.</summary>
    public string GroupsClaim { get; set; } = "groups";

    public List<string> AdminGroups { get; set; } = [];

    public List<string> ReleaseManagerGroups { get; set; } = [];

    /// <summary>Groups that may view; empty means every signed-in user may view.</summary>
    public List<string> ViewerGroups { get; set; } = [];

    public bool RequireHttpsMetadata { get; set; } = true;

    public List<string> Scopes { get; set; } = ["openid", "profile"];
}
