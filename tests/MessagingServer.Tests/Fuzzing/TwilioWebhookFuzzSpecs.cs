using System.Text;
using CsCheck;
using MessagingServer.Domain.Protocol;
using MessagingServer.TestSupport.Fuzzing;
using TwilioSigner = MessagingServer.TestSupport.Twilio.TwilioSigner;
using MessagingServer.Twilio;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace MessagingServer.Tests.Fuzzing;

/// <summary>
/// The webhook form readers and the signature verifier under hostile forms: any form gets a value or a 400
/// with a documented code, never an exception; a form is Valid only when Twilio's signature over exactly
/// those fields matches, so a changed value or a repeated field never passes.
/// </summary>
public sealed class TwilioWebhookFuzzSpecs
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "fuzz-token";
    private const string Url = "https://hooks.test/twilio/sms";

    /// <summary>The 400 codes docs/twilio.md gives for a signed form the server cannot use.</summary>
    private static readonly string[] WebhookCodes = [ErrorCodes.MissingField, ErrorCodes.InvalidField, ErrorCodes.BodyTooLong];

    private static readonly long Cases = Fuzz.Iterations(ci: 800);

    private static readonly Gen<string> TwilioKey = Gen.OneOf(
        "From", "To", "Body", "MessageSid", "SmsSid", "AccountSid", "NumMedia", "MediaUrl0", "MediaUrl1", "MediaUrl9",
        "MessageStatus", "ErrorCode", "ErrorMessage", "MessagingServiceSid");

    private static readonly Gen<string> Value = Gen.Frequency(
        (4, FuzzInputs.NastyString),
        (2, Gen.OneOf("+15551234567", "12345", "SM0123456789abcdef0123456789abcdef", AccountSid, "3", "-1", "99999999999", "11",
            "https://m.test/a.jpg", "javascript:alert(1)", "delivered", "failed", "partially_delivered", "30003", "")));

    /// <summary>A form as Twilio's parser would hand it over: mostly known keys, some unknown, a value each (sometimes repeated).</summary>
    private static readonly Gen<Dictionary<string, StringValues>> AnyForm =
        Gen.Select(Gen.Frequency((5, TwilioKey), (1, FuzzInputs.NastyString)), Value.Array[1, 3])
            .Array[0, 14]
            .Select(pairs =>
            {
                var form = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
                foreach (var (key, values) in pairs)
                {
                    form[key] = values.Length == 1 || key.Length % 3 != 0 ? new StringValues(values[0]) : new StringValues(values);
                }

                return form;
            });

    private static readonly Gen<QueryCollection> AnyQuery = Gen.Select(
        Gen.OneOf(Gen.Const(""), FuzzInputs.NastyString, Gen.OneOf("user-1", "u", "../x", new string('u', 300))),
        Gen.OneOf(Gen.Const(""), FuzzInputs.NastyString, Gen.OneOf("m1", new string('m', 129))),
        (u, m) => new QueryCollection(new Dictionary<string, StringValues> { ["u"] = u, ["m"] = m }));

    [Fact]
    public void Any_inbound_form_is_read_or_refused_with_a_documented_code() =>
        AnyForm.Sample(
            fields =>
            {
                var parsed = TwilioWebhookForms.ReadInbound(new FormCollection(fields), correlationId: null);
                AssertReadOrRefused(parsed.Value, parsed.ProblemCode);
            },
            iter: Cases, seed: Fuzz.Seed);

    [Fact]
    public void Any_status_callback_is_read_skipped_or_refused_with_a_documented_code() =>
        Gen.Select(AnyQuery, AnyForm).Sample(
            (query, fields) =>
            {
                var parsed = TwilioWebhookForms.ReadStatus(query, new FormCollection(fields), correlationId: null);
                if (parsed.ProblemCode is { } code)
                {
                    Assert.Contains(code, WebhookCodes);
                }
            },
            iter: Cases, seed: Fuzz.Seed);

    [Fact]
    public async Task Any_raw_body_is_a_form_the_readers_handle_or_too_large()
    {
        await Gen.Frequency(
                (2, FuzzInputs.RandomBytes),
                (3, FuzzInputs.AnyFrame),
                (3, AnyForm.Select(f => Encoding.UTF8.GetBytes(string.Join('&', f.SelectMany(kv => kv.Value.Select(v => kv.Key + "=" + Uri.EscapeDataString(v ?? "")))))))
            )
            .SampleAsync(
                async bytes =>
                {
                    Dictionary<string, StringValues> fields;
                    try
                    {
                        // The limits the webhook filter reads with; past them it answers 413.
                        using var body = new MemoryStream(bytes);
                        using var reader = new FormReader(body) { ValueCountLimit = 256, KeyLengthLimit = 256, ValueLengthLimit = 64 * 1024 };
                        fields = await reader.ReadFormAsync();
                    }
                    catch (InvalidDataException)
                    {
                        return;
                    }

                    var parsed = TwilioWebhookForms.ReadInbound(new FormCollection(fields), correlationId: null);
                    AssertReadOrRefused(parsed.Value, parsed.ProblemCode);
                },
                iter: Cases / 3, seed: Fuzz.Seed, print: FuzzInputs.Show);
    }

    [Fact]
    public void No_form_passes_with_a_signature_it_was_not_signed_with() =>
        Gen.Select(AnyForm, Gen.OneOf(Gen.Const(""), FuzzInputs.NastyString, Gen.Byte.Array[20].Select(Convert.ToBase64String))).Sample(
            (fields, signature) =>
            {
                fields["AccountSid"] = AccountSid;
                var verdict = TwilioWebhookVerifier.Verify(Options(), Url, signature, new FormCollection(fields));
                Assert.NotEqual(TwilioWebhookVerdict.Valid, verdict);
            },
            iter: Cases, seed: Fuzz.Seed);

    [Fact]
    public void A_signed_form_passes_and_any_changed_value_or_repeated_field_is_refused() =>
        Gen.Select(Gen.Select(TwilioKey, Value).Array[1, 10], Gen.Int, Value, Gen.Bool).Sample(
            (pairs, pick, replacement, repeat) =>
            {
                var fields = pairs.GroupBy(p => p.Item1, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Item2, StringComparer.Ordinal);
                fields["AccountSid"] = AccountSid;
                var signature = TwilioSigner.Sign(AuthToken, Url, fields);
                Assert.Equal(TwilioWebhookVerdict.Valid, Verify(fields, signature));

                var key = fields.Keys.ElementAt((int)((uint)pick % (uint)fields.Count));
                if (repeat)
                {
                    var repeated = fields.ToDictionary(f => f.Key, f => new StringValues(f.Value), StringComparer.Ordinal);
                    repeated[key] = new StringValues([fields[key], replacement]);
                    Assert.Equal(TwilioWebhookVerdict.RepeatedField, TwilioWebhookVerifier.Verify(Options(), Url, signature, new FormCollection(repeated)));
                }
                else if (!string.Equals(fields[key], replacement, StringComparison.Ordinal))
                {
                    var changed = new Dictionary<string, string>(fields, StringComparer.Ordinal) { [key] = replacement };
                    Assert.NotEqual(TwilioWebhookVerdict.Valid, Verify(changed, signature));
                }
            },
            iter: Cases, seed: Fuzz.Seed);

    private static TwilioWebhookVerdict Verify(Dictionary<string, string> fields, string signature) =>
        TwilioWebhookVerifier.Verify(Options(), Url, signature,
            new FormCollection(fields.ToDictionary(f => f.Key, f => new StringValues(f.Value), StringComparer.Ordinal)));

    private static TwilioOptions Options() => new() { AccountSid = AccountSid, AuthToken = AuthToken, From = "+15550001111" };

    private static void AssertReadOrRefused(object? value, string? problemCode)
    {
        if (value is null)
        {
            Assert.Contains(problemCode, WebhookCodes);
        }
        else
        {
            Assert.Null(problemCode);
        }
    }
}
