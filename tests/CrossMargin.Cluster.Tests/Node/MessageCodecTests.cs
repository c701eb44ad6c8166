using System.Text;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Risk.Model;

namespace CrossMargin.Cluster.Tests.Node;

public sealed class MessageCodecTests
{
    public static TheoryData<object> Messages() => new()
    {
        new Deposit(7, 1, "USDT", 1_000.000000001m),
        new Withdraw(7, 2, "BTC", 0.5m),
        new PlaceTrade(7, 3, "BTCUSDT", -0.25m, 64_000.5m, 0, 12.5m),
        new LiquidationFillMessage(7, new LiquidationFilled(3, "BTCUSDT", 0.1m, 60_000m, 1.2m, 0)),
        new WaterfallSettledMessage(7, new WaterfallSettled(4, "counterparty", [new AssetBalance("USDT", -3m)], [new Position("BTCUSDT", 1m, 60_000m, 2m, 0m)])),
        new RemarginMessage(7, 1_700_000_000_000_000),
        new GetAccountMessage(7),
        new IndexTickMessage("BTCUSDT", 1_700_000_000_000_000, 61_000.25m),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_command_round_trips_through_its_versioned_type(object message)
    {
        var (type, payload) = MessageCodec.Encode(message);

        var decoded = MessageCodec.Decode(type, payload);

        Assert.EndsWith("@v1", type, StringComparison.Ordinal);
        Assert.Equal(Render(message), Render(decoded));
    }

    [Fact]
    public void Replies_round_trip_through_the_reply_envelope()
    {
        var reply = new CommandReply(7, 3, false, "insufficient margin");

        var decoded = MessageCodec.DecodeReply(MessageCodec.EncodeReply(reply));

        Assert.Equal(reply, decoded);
    }

    [Fact]
    public void An_unknown_type_or_version_is_a_typed_error_listing_the_known_types()
    {
        var e = Assert.Throws<UnknownMessageTypeException>(() => MessageCodec.Decode("deposit@v9", "{}"u8));

        Assert.Equal("deposit@v9", e.Type);
        Assert.Contains("deposit@v1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"accountId\":7,\"commandId\":1,\"asset\":\"USDT\"}", "amount")]
    [InlineData("{\"accountId\":7,\"commandId\":1,\"asset\":\"USDT\",\"amount\":-5}", "amount must be positive, was -5")]
    [InlineData("{\"accountId\":7,\"commandId\":1,\"asset\":null,\"amount\":5}", "asset")]
    [InlineData("not json", "deposit@v1")]
    public void A_malformed_payload_names_the_type_and_the_field(string json, string expected)
    {
        var e = Assert.Throws<MalformedMessageException>(() => MessageCodec.Decode("deposit@v1", Encoding.UTF8.GetBytes(json)));

        Assert.Equal("deposit@v1", e.Type);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static string Render(object o) => System.Text.Json.JsonSerializer.Serialize(o, o.GetType());
}
