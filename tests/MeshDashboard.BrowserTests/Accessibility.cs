using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MeshDashboard.BrowserTests;

/// <summary>
/// axe-core's WCAG 2 level A and AA rules, run inside a page in Chromium. A failure names every violated rule with its
/// impact and the elements that break it (axe's CSS selectors), so it reads as a to-do list.
/// </summary>
public static class Accessibility
{
    /// <summary>The rule sets checked: WCAG 2.0 level A and AA, as axe tags them.</summary>
    public static readonly IReadOnlyList<string> Standards = ["wcag2a", "wcag2aa"];

    private static AxeRunOptions Options => new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Standards] },
    };

    /// <summary>The violations on the page as it is now, one readable block per rule; empty when there are none.</summary>
    public static async Task<string> ViolationsAsync(IPage page, string name)
    {
        var result = await page.RunAxe(Options);
        if (result.Violations.Length == 0)
        {
            return "";
        }
        var report = new StringBuilder();
        foreach (var violation in result.Violations)
        {
            report.Append(name).Append(": ").Append(violation.Id).Append(" (").Append(violation.Impact).Append(", ")
                .Append(violation.Nodes.Length).Append(violation.Nodes.Length == 1 ? " node): " : " nodes): ").AppendLine(violation.Help);
            foreach (var node in violation.Nodes)
            {
                report.Append("    ").Append(node.Target).Append("  ").AppendLine(Why(node));
            }
        }
        return report.ToString();
    }

    /// <summary>Fails with every violation on the page (rule id, impact, node targets) when there is any.</summary>
    public static async Task AssertNoAxeViolations(IPage page, string name)
    {
        var violations = await ViolationsAsync(page, name);
        Assert.True(violations.Length == 0, "axe found WCAG 2 A/AA violations:\n" + violations);
    }

    /// <summary>What axe says is wrong with one element (e.g. the contrast it measured), else its HTML.</summary>
    private static string Why(AxeResultNode node) =>
        node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message).FirstOrDefault(m => !string.IsNullOrEmpty(m)) ?? node.Html;
}
