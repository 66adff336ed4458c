using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace MeshDashboard.Components.Layout;

public partial class MainLayout
{
    private readonly MudTheme _theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#2962ff", AppbarBackground = "#1a237e" },
        PaletteDark = new PaletteDark { Primary = "#82b1ff" },
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
