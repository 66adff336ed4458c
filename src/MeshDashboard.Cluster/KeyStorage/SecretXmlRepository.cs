using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshDashboard.Cluster.Changes;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace MeshDashboard.Cluster.KeyStorage;

/// <summary>
/// Keeps the Data Protection key ring in one Kubernetes Secret, one data entry per key. Sign-in cookies and
/// antiforgery tokens then survive a restart of the pod and are valid on every replica; without it a
/// read-only root filesystem leaves the keys in memory and every restart signs everyone out.
/// </summary>
/// <remarks>
/// Data Protection's repository contract is synchronous. It is called when the key ring is loaded (first use, then
/// about once a day) and when a key is created (every 90 days), never per request, so blocking on the API call here
/// does not hold request threads.
/// </remarks>
public sealed partial class SecretXmlRepository(IKubernetes client, KeyRingOptions options) : IXmlRepository
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    // Another replica may add its key between our read and write; the resourceVersion makes that a 409, and we
    // re-read and add ours to what it wrote. More attempts than replicas ever start at once.
    private const int Attempts = 5;

    [GeneratedRegex("[^-._a-zA-Z0-9]")]
    private static partial Regex NotASecretKeyCharacter();

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var secret = ReadAsync().GetAwaiter().GetResult();
        return [.. (secret?.Data ?? new Dictionary<string, byte[]>())
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => XElement.Parse(Encoding.UTF8.GetString(entry.Value)))];
    }

    public void StoreElement(XElement element, string friendlyName) => StoreAsync(element, friendlyName).GetAwaiter().GetResult();

    /// <summary>The Secret data key for a key's friendly name ("key-&lt;guid&gt;"), restricted to what Secrets allow.</summary>
    public static string EntryName(string friendlyName) => NotASecretKeyCharacter().Replace(friendlyName, "-") + ".xml";

    private async Task StoreAsync(XElement element, string friendlyName)
    {
        var entry = EntryName(friendlyName);
        var bytes = Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting));
        for (var attempt = 1; ; attempt++)
        {
            var secret = await ReadAsync().ConfigureAwait(false);
            try
            {
                if (secret is null)
                {
                    await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
                    {
                        Metadata = new V1ObjectMeta
                        {
                            Name = options.SecretName,
                            NamespaceProperty = options.Namespace,
                            Labels = new Dictionary<string, string> { [ManagedByLabel] = "meshdashboard" },
                        },
                        Type = "Opaque",
                        Data = new Dictionary<string, byte[]> { [entry] = bytes },
                    }, options.Namespace).ConfigureAwait(false);
                }
                else
                {
                    secret.Data ??= new Dictionary<string, byte[]>();
                    secret.Data[entry] = bytes;
                    await client.CoreV1.ReplaceNamespacedSecretAsync(secret, options.SecretName, options.Namespace).ConfigureAwait(false);
                }
                return;
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Conflict && attempt < Attempts)
            {
                // Someone else wrote the Secret since we read it: read again and add our key to theirs.
            }
            catch (HttpOperationException error)
            {
                throw Explain(ClusterWriter.Classify(error).Message, error);
            }
            catch (HttpRequestException error)
            {
                throw Explain(error.Message, error);
            }
        }
    }

    private async Task<V1Secret?> ReadAsync()
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(options.SecretName, options.Namespace).ConfigureAwait(false);
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException error)
        {
            throw Explain(ClusterWriter.Classify(error).Message, error);
        }
        catch (HttpRequestException error)
        {
            throw Explain(error.Message, error);
        }
    }

    private InvalidOperationException Explain(string reason, Exception error) => new(
        $"The sign-in key ring in Secret {options.Namespace}/{options.SecretName} could not be read or written: {reason}. " +
        "Grant the dashboard get, create and update on that Secret (deploy/kubernetes/rbac.yaml), or set DataProtection:Store to Local.",
        error);
}
