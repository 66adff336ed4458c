using MeshDashboard.Model;

namespace MeshDashboard.Tests.Model;

public sealed class ThemeChoiceTests
{
    [Theory]
    [InlineData(null, null, "dark", true, false)]
    [InlineData(null, null, null, false, false)]
    [InlineData(null, "light", "dark", false, true)]
    [InlineData("dark", "light", "light", true, true)]
    [InlineData("purple", "dark", "light", true, true)]
    public void Resolve_TakesTheAddressThenTheChoiceThenTheSystem(string? address, string? chosen, string? system, bool dark, bool isChosen)
    {
        Assert.Equal(new ThemeChoice(dark, isChosen), ThemeChoice.Resolve(address, chosen, system));
    }
}
