using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox.Security;

/// <summary>
/// The one bearer token the sandbox accepts. Made at first start and kept in the data directory, so a
/// restart (or a kubeconfig someone copied) keeps working; it leaves the directory only inside the kubeconfig.
/// </summary>
internal sealed class SandboxToken
{
    public const string FileName = "token";

    private readonly byte[] _hash;

    private SandboxToken(string value)
    {
        Value = value;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    public string Value { get; }

    public static SandboxToken LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var saved = File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8).Trim() : "";
        // Only a token in the alphabet it was made in is taken back: it goes into YAML and an HTTP header as is.
        if (saved.Length > 0 && saved.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return new SandboxToken(saved);
        }
        var created = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        PrivateFiles.WriteAtomically(path, created);
        return new SandboxToken(created);
    }

    /// <summary>
    /// Compares hashes in fixed time: equal-length digests, so neither the token's length nor the position of
    /// the first differing character shows in how long a refusal takes.
    /// </summary>
    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _hash);
}
