// Linked into every stage library so that a stage with no sources yet still builds.
namespace tfaot {
const char* version() { return "0.1.0"; }
}  // namespace tfaot
