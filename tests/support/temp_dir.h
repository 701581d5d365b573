// A fresh directory under $TMPDIR, removed with everything in it on
// destruction.
#ifndef COOPCRAFT_TESTS_SUPPORT_TEMP_DIR_H_
#define COOPCRAFT_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace coopcraft::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_SUPPORT_TEMP_DIR_H_
