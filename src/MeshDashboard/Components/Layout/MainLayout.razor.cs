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

    // Browser tests wait for this marker: clicks before the circuit is interactive are lost.
    private bool _interactive;

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _interactive = true;
            StateHasChanged();
        }
    }

    private void ToggleTheme() => _darkMode = !_darkMode;
}
