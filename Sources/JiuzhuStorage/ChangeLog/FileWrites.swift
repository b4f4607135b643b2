import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc

    /// Wakes whoever iterates ``wakes`` when one file is written, and once per `fallback`
    /// whatever happens, through Linux's inotify: a node waits for other processes' commits to its
    /// database without polling the file a hundred times a second.
    ///
    /// The directory is watched, not the file, so the watch outlives the file being removed and
    /// made again. Wakes are coalesced: many writes before the waiter looks are one wake.
    final class FileWrites: @unchecked Sendable {
        /// One element per batch of writes (or fallback tick) since the waiter last looked.
        let wakes: AsyncStream<Void>
        private let events: any DispatchSourceRead
        private let ticks: any DispatchSourceTimer

        /// Nil when inotify is not available (no instance left for this user, say).
        init?(_ file: URL, fallback: Duration) {
            let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard descriptor >= 0 else { return nil }
            guard inotify_add_watch(descriptor, file.deletingLastPathComponent().path, UInt32(IN_MODIFY)) >= 0 else {
                close(descriptor)
                return nil
            }
            let (wakes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            let queue = DispatchQueue(label: "jiuzhu.file-writes")
            let name = Array(file.lastPathComponent.utf8)
            events = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
            events.setEventHandler {
                if Self.drain(descriptor, naming: name) { continuation.yield() }
            }
            events.setCancelHandler {
                close(descriptor)
                continuation.finish()
            }
            ticks = DispatchSource.makeTimerSource(queue: queue)
            let interval = DispatchTimeInterval.milliseconds(Int(fallback / .milliseconds(1)))
            ticks.schedule(deadline: .now() + interval, repeating: interval)
            ticks.setEventHandler { continuation.yield() }
            self.wakes = wakes
            events.resume()
            ticks.resume()
        }

        deinit {
            ticks.cancel()
            events.cancel()
        }

        /// Reads every pending event; returns whether one of them names the file.
        private static func drain(_ descriptor: Int32, naming name: [UInt8]) -> Bool {
            // struct inotify_event: wd, mask, cookie, len (four 32-bit fields), then len bytes of
            // name padded with NULs.
            let header = 16
            var buffer = [UInt8](repeating: 0, count: 4096)
            var named = false
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { return named }
                var offset = 0
                while offset + header <= count {
                    let length = Int(
                        buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self) })
                    let end = min(offset + header + length, count)
                    let field = buffer[(offset + header)..<end]
                    if field.prefix(while: { $0 != 0 }).elementsEqual(name) { named = true }
                    offset = end
                }
            }
        }
    }
#endif
