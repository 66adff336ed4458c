namespace MeshDashboard.Model;

/// <summary>
/// The colours that tell subsets apart in split bars, in subset order. Each carries white text at WCAG AA contrast
/// (at least 4.5:1, as the axe browser tests check), in the light and the dark theme alike.
/// </summary>
public static class SubsetColors
{
    public static readonly IReadOnlyList<string> Palette = ["#1565c0", "#2e7d32", "#b45309", "#7b1fa2", "#00695c", "#c62828", "#5d4037"];

    /// <summary>A destination outside the service's subsets (another host).</summary>
    public const string Other = "#616161";

    public static string At(int index) => index < 0 ? Other : Palette[index % Palette.Count];
}
