namespace MeshDashboard.Model;

/// <summary>
/// Which theme a page opens in: the address's <c>?theme=</c> first (a shared link shows what its sender saw), then the
/// person's own earlier choice (a cookie), then the system's colour scheme as the browser last reported it (a cookie
/// our script writes). Worked out on the server so the prerendered page already has the right colours.
/// </summary>
public sealed record ThemeChoice(bool IsDark, bool IsChosen)
{
    public const string QueryName = "theme";

    /// <summary>The person's choice, set when they toggle the theme.</summary>
    public const string ChoiceCookie = "md-theme";

    /// <summary>The system's scheme, written by wwwroot/theme.js on every page.</summary>
    public const string SystemCookie = "md-system-theme";

    public const string Dark = "dark";
    public const string Light = "light";

    public static string NameOf(bool isDark) => isDark ? Dark : Light;

    public static ThemeChoice Resolve(string? inAddress, string? chosen, string? system) =>
        Parse(inAddress) is { } fromAddress ? new ThemeChoice(fromAddress, true)
        : Parse(chosen) is { } fromChoice ? new ThemeChoice(fromChoice, true)
        : new ThemeChoice(Parse(system) ?? false, false);

    /// <summary>true for dark, false for light, null for anything else.</summary>
    public static bool? Parse(string? name) =>
        string.Equals(name, Dark, StringComparison.OrdinalIgnoreCase) ? true
        : string.Equals(name, Light, StringComparison.OrdinalIgnoreCase) ? false
        : null;
}
