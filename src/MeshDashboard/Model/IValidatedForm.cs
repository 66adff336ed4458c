using System.Collections.Immutable;

namespace MeshDashboard.Model;

/// <summary>A form's view model that checks itself with its operation's own rules: errors by form field.</summary>
public interface IValidatedForm
{
    ImmutableDictionary<string, string> Validate();
}
