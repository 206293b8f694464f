// LSA entry points: filled in by the LSA issue.
#include "addon.h"
namespace ntcopy {
void InitLsa(Napi::Env, Napi::Object) {}
}  // namespace ntcopy
