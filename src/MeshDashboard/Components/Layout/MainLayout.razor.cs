using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace MeshDashboard.Components.Layout;

public partial class MainLayout
{
    // Colours chosen for WCAG AA contrast (4.5:1 for text), which the axe browser tests check on every page in both
    // themes: in the light theme, deep tones that carry white text and read as text on white and on their own pale tints
    // (outlined chips, alerts); in the dark theme, light tones that read on the dark surfaces and carry dark text.
    private readonly MudTheme _theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2962ff",
            AppbarBackground = "#1a237e",
            Secondary = "#ad1457",
            Tertiary = "#00695c",
            Info = "#1565c0",
            Success = "#2e7d32",
            Warning = "#a84b00",
            Error = "#c62828",
            TextSecondary = "rgba(0,0,0,0.66)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#82b1ff",
            PrimaryContrastText = "#0b1a33",
            Secondary = "#f48fb1",
            SecondaryContrastText = "#2b0a16",
            Tertiary = "#80cbc4",
            TertiaryContrastText = "#062420",
            Info = "#90caf9",
            InfoContrastText = "#0b1d2e",
            Success = "#81c784",
            SuccessContrastText = "#0b2410",
            Warning = "#ffb74d",
            WarningContrastText = "#2b1700",
            Error = "#ef9a9a",
            ErrorContrastText = "#2e0b0b",
            TextSecondary = "rgba(255,255,255,0.72)",
            // Alerts write their text in the "darken" tone: on a dark surface that must stay the light tone.
            InfoDarken = "#90caf9",
            SuccessDarken = "#81c784",
            WarningDarken = "#ffb74d",
            ErrorDarken = "#ef9a9a",
        },
    };

    private bool _darkMode;

    // Whether the address or the person picked the theme; when not, it follows the system's colour scheme.
    private bool _themeChosen;
    private bool _themeStarted;
    private string? _appliedAddressTheme;

    // Browser tests wait for this marker: clicks before the circuit is interactive are lost.
    private bool _interactive;

    /// <summary>The theme the request resolved (address, cookie, system), cascaded by Routes.</summary>
    [CascadingParameter]
    public ThemeChoice? StartTheme { get; set; }

    /// <summary><c>?theme=dark</c> or <c>?theme=light</c>: the address names the theme, so a link shows what its sender saw.</summary>
    [SupplyParameterFromQuery(Name = ThemeChoice.QueryName)]
    public string? ThemeInAddress { get; set; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    protected override void OnParametersSet()
    {
        if (!_themeStarted)
        {
            _themeStarted = true;
            _darkMode = StartTheme?.IsDark ?? false;
            _themeChosen = StartTheme?.IsChosen ?? false;
            _appliedAddressTheme = ThemeInAddress;
        }
        if (ThemeInAddress != _appliedAddressTheme)
        {
            // A link inside the app (or the person editing the address) names another theme.
            _appliedAddressTheme = ThemeInAddress;
            if (ThemeChoice.Parse(ThemeInAddress) is { } dark)
            {
                _darkMode = dark;
                _themeChosen = true;
            }
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _interactive = true;
            if (!_themeChosen)
            {
                // The very first visit has no cookie yet: take the system's scheme from the browser itself.
                _darkMode = await JS.InvokeAsync<bool>("meshDashboardTheme.systemIsDark");
            }
            StateHasChanged();
        }
    }

    private async Task ToggleThemeAsync()
    {
        _darkMode = !_darkMode;
        _themeChosen = true;
        var name = ThemeChoice.NameOf(_darkMode);
        _appliedAddressTheme = name;
        await JS.InvokeVoidAsync("meshDashboardTheme.remember", name);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter(ThemeChoice.QueryName, name), replace: true);
    }
}
