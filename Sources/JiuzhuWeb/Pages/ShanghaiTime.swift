import Foundation

/// Civil time in Asia/Shanghai, the only time zone the system shows.
enum ShanghaiTime {
    static let zone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current

    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0,
            c.minute ?? 0, c.second ?? 0)
    }

    /// `2026-11-29 18:40:02（3 秒前）`
    static func describe(_ date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        let ago =
            seconds < 60
            ? "\(seconds) 秒前"
            : seconds < 3600
                ? "\(seconds / 60) 分钟前"
                : seconds < 86400 ? "\(seconds / 3600) 小时前" : "\(seconds / 86400) 天前"
        return "\(format(date))（\(ago)）"
    }
}
