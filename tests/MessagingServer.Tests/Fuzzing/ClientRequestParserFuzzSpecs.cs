using CsCheck;
using MessagingServer.Domain;
using MessagingServer.Domain.Protocol;
using MessagingServer.TestSupport.Fuzzing;

namespace MessagingServer.Tests.Fuzzing;

/// <summary>
/// The socket frame parser (and the REST send body parser, the same code) under hostile input: whatever the
/// bytes, the answer is a valid request or an <see cref="InvalidRequest"/> with one of the documented codes
/// (docs/protocol.md), never an exception. Valid requests keep the documented limits.
/// </summary>
public sealed class ClientRequestParserFuzzSpecs
{
    /// <summary>The codes docs/protocol.md gives for a frame the parser refuses.</summary>
    public static readonly HashSet<string> FrameCodes =
    [
        ErrorCodes.InvalidJson, ErrorCodes.UnknownType, ErrorCodes.MissingField, ErrorCodes.InvalidField,
        ErrorCodes.DuplicateField, ErrorCodes.InvalidTo, ErrorCodes.EmptyBody, ErrorCodes.BodyTooLong, ErrorCodes.InvalidMedia,
    ];

    private static readonly long Cases = Fuzz.Iterations(ci: 1_500);

    [Fact]
    public void Any_frame_gets_a_valid_request_or_a_documented_error() =>
        FuzzInputs.AnyFrame.Sample(bytes => AssertDocumented(ClientRequestParser.Parse(bytes)), iter: Cases, seed: Fuzz.Seed, print: FuzzInputs.Show);

    [Fact]
    public void Any_rest_body_gets_a_valid_send_or_a_documented_error() =>
        FuzzInputs.AnyFrame.Sample(
            bytes =>
            {
                var parsed = ClientRequestParser.ParseSend(bytes);
                AssertDocumented(parsed);
                // A REST body is a send whatever its 'type' says, or refused; never an ack or a ping to act on.
                Assert.True(parsed is SendRequest or InvalidRequest or AckRequest or PingRequest);
            },
            iter: Cases, seed: Fuzz.Seed, print: FuzzInputs.Show);

    [Fact]
    public void Parsing_is_deterministic() =>
        FuzzInputs.AnyFrame.Sample(bytes => Assert.Equal(ClientRequestParser.Parse(bytes), ClientRequestParser.Parse(bytes)), iter: Cases / 3, seed: Fuzz.Seed, print: FuzzInputs.Show);

    [Fact]
    public void Invalid_utf8_is_always_invalid_json() =>
        FuzzInputs.InvalidUtf8.Sample(
            bytes => Assert.Equal(ErrorCodes.InvalidJson, Assert.IsType<InvalidRequest>(ClientRequestParser.Parse(bytes)).Code),
            iter: Cases / 3, seed: Fuzz.Seed, print: FuzzInputs.Show);

    [Fact]
    public void A_repeated_known_key_is_never_read_twice() =>
        FuzzInputs.RepeatedKeys.Sample(
            json =>
            {
                var parsed = ClientRequestParser.Parse(System.Text.Encoding.UTF8.GetBytes(json));
                // The first of the two values may already be refused for its type; a second value is never taken.
                Assert.Contains(Assert.IsType<InvalidRequest>(parsed).Code, (string[])[ErrorCodes.DuplicateField, ErrorCodes.InvalidField, ErrorCodes.InvalidJson]);
            },
            iter: Cases / 3, seed: Fuzz.Seed);

    [Fact]
    public void Nesting_past_the_reader_limit_is_invalid_json_not_a_stack_overflow() =>
        FuzzInputs.DeepJson.Sample(
            json =>
            {
                var parsed = ClientRequestParser.Parse(System.Text.Encoding.UTF8.GetBytes(json));
                AssertDocumented(parsed);
            },
            iter: Math.Max(50, Cases / 30), seed: Fuzz.Seed);

    internal static void AssertDocumented(ClientRequest parsed)
    {
        switch (parsed)
        {
            case InvalidRequest invalid:
                Assert.Contains(invalid.Code, FrameCodes);
                Assert.False(string.IsNullOrWhiteSpace(invalid.Message));
                Assert.True(invalid.ClientRef is null or { Length: > 0 and <= ClientRequestParser.MaxClientRefLength });
                break;
            case SendRequest send:
                Assert.True(PhoneNumber.TryParse(send.To.Value, out _), send.To.Value);
                Assert.InRange(send.Body.Length, 0, ClientRequestParser.MaxBodyLength);
                Assert.Null(BodyText.FirstForbidden(send.Body));
                // A body may be empty only when media carries the message (MMS); media always keeps its rules.
                Assert.True(BodyText.HasVisibleText(send.Body) || send.Media is { Count: > 0 });
                var media = send.Media ?? [];
                Assert.InRange(media.Count, 0, MediaUrls.MaxCount);
                Assert.Equal(media.Count, media.Distinct(StringComparer.Ordinal).Count());
                Assert.All(media.Select((url, i) => MediaUrls.Problem(url, i)), Assert.Null);
                Assert.True(send.ClientRef is null or { Length: > 0 and <= ClientRequestParser.MaxClientRefLength });
                break;
            case AckRequest ack:
                Assert.True(ack.Seq >= 0);
                break;
            case PingRequest:
                break;
            default:
                Assert.Fail($"unexpected {parsed.GetType().Name}");
                break;
        }
    }
}
