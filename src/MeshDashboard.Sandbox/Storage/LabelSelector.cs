using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>
/// Kubernetes label selector syntax: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>,
/// <c>a notin (x)</c>, <c>a</c> (exists), <c>!a</c> (does not exist), comma-separated and ANDed.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public static LabelSelector Everything { get; } = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var requirement in SplitTopLevel(text))
        {
            selector._requirements.Add(ParseRequirement(requirement.Trim(), text));
        }
        return selector;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r(labels));

    /// <summary>True when the selector selects every object: a list need not read any object's labels.</summary>
    public bool SelectsEverything => _requirements.Count == 0;

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string requirement, string whole)
    {
        if (requirement.Length == 0)
        {
            throw Invalid(whole);
        }
        if (requirement.StartsWith('!'))
        {
            var key = requirement[1..].Trim();
            return labels => !labels.ContainsKey(key);
        }

        var inIndex = IndexOfWord(requirement, " notin ");
        if (inIndex > 0)
        {
            var key = requirement[..inIndex].Trim();
            var values = ParseSet(requirement[(inIndex + 7)..], whole);
            return labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
        }
        inIndex = IndexOfWord(requirement, " in ");
        if (inIndex > 0)
        {
            var key = requirement[..inIndex].Trim();
            var values = ParseSet(requirement[(inIndex + 4)..], whole);
            return labels => labels.TryGetValue(key, out var v) && values.Contains(v);
        }

        foreach (var op in new[] { "!=", "==", "=" })
        {
            var index = requirement.IndexOf(op, StringComparison.Ordinal);
            if (index > 0)
            {
                var key = requirement[..index].Trim();
                var value = requirement[(index + op.Length)..].Trim();
                return op == "!="
                    ? labels => !labels.TryGetValue(key, out var v) || v != value
                    : labels => labels.TryGetValue(key, out var v) && v == value;
            }
        }

        var existsKey = requirement.Trim();
        return labels => labels.ContainsKey(existsKey);
    }

    private static int IndexOfWord(string text, string word) => text.IndexOf(word, StringComparison.Ordinal);

    private static HashSet<string> ParseSet(string text, string whole)
    {
        text = text.Trim();
        if (!text.StartsWith('(') || !text.EndsWith(')'))
        {
            throw Invalid(whole);
        }
        return text[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
    }

    /// <summary>Splits on commas that are not inside a value set's parentheses.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }

    private static ApiException Invalid(string text) =>
        ApiException.BadRequest($"unable to parse requirement: labelSelector \"{text}\" is not a valid label selector");
}

/// <summary>The field selectors every kind supports: <c>metadata.name</c> and <c>metadata.namespace</c>.</summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> _terms = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var term in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var notEqual = term.Contains("!=", StringComparison.Ordinal);
            var parts = term.Split(notEqual ? "!=" : (term.Contains("==", StringComparison.Ordinal) ? "==" : "="), 2);
            if (parts.Length != 2 || parts[0] is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiException.BadRequest($"field label not supported: {parts[0]}");
            }
            selector._terms.Add((parts[0], parts[1], !notEqual));
        }
        return selector;
    }

    /// <summary>True when the selector names no field: every object matches.</summary>
    public bool SelectsEverything => _terms.Count == 0;

    public bool Matches(string @namespace, string name) => _terms.All(t =>
    {
        var actual = t.Field == "metadata.name" ? name : @namespace;
        return (actual == t.Value) == t.Equal;
    });
}
