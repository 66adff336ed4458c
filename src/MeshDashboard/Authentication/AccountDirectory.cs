using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MeshDashboard.Authentication;

/// <summary>
/// The accounts and API tokens as configured now, not as they were at start: configuration that changes (an account
/// removed, a role changed, a password reset) applies to sessions already open. A reload that breaks the rules of
/// <see cref="AuthenticationSetup"/> is refused and the last valid set stays, so a typo cannot open the door.
/// </summary>
public sealed partial class AccountDirectory : IDisposable
{
    /// <summary>The claim that ties a local session to the password it was opened with (a hash of the stored hash).</summary>
    public const string PasswordStampClaim = "password_stamp";

    public const string MethodClaim = "auth_method";

    private readonly ILogger<AccountDirectory> _logger;
    private readonly IDisposable? _subscription;
    private AuthOptions _current;

    public AccountDirectory(IOptionsMonitor<AuthOptions> options, ILogger<AccountDirectory> logger)
    {
        _logger = logger;
        _current = options.CurrentValue;
        _subscription = options.OnChange(Reload);
    }

    public AuthOptions Current => Volatile.Read(ref _current);

    public LocalUser? FindAccount(string? name) =>
        name is null ? null : Current.Local.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.Ordinal));

    public static string PasswordStamp(LocalUser account) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(account.PasswordHash)))[..16];

    /// <summary>
    /// Whether a signed-in principal still stands: a local account that still exists with the same role and password,
    /// or an API token still configured with the same role. Sessions from an OpenID provider keep the role the provider's
    /// groups gave at sign-in until the session ends (the dashboard keeps no token to ask again).
    /// </summary>
    public bool IsCurrent(ClaimsPrincipal user)
    {
        var method = user.FindFirst(MethodClaim)?.Value;
        var name = user.Identity?.Name;
        var role = user.FindFirst(ClaimTypes.Role)?.Value;
        return method switch
        {
            "local" => FindAccount(name) is { } account && account.Role == role
                && user.FindFirst(PasswordStampClaim)?.Value == PasswordStamp(account),
            "api-token" => Current.ApiTokens.Any(t => t.Name == name && t.Role == role),
            _ => true,
        };
    }

    private void Reload(AuthOptions next)
    {
        try
        {
            AuthenticationSetup.Validate(next);
        }
        catch (AuthenticationSettingsException error)
        {
            LogReloadRefused(_logger, error.Message);
            return;
        }
        if (next.Mode != Current.Mode)
        {
            LogReloadRefused(_logger, "Auth:Mode changes only with a restart");
            return;
        }
        Volatile.Write(ref _current, next);
        LogReloaded(_logger, next.Local.Count, next.ApiTokens.Count);
    }

    public void Dispose() => _subscription?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Changed Auth settings were not applied, the previous ones stay: {Reason}")]
    private static partial void LogReloadRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Auth settings reloaded: {Accounts} local account(s), {Tokens} API token(s); open sessions are checked against them")]
    private static partial void LogReloaded(ILogger logger, int accounts, int tokens);
}
