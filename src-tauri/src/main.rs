fn main() {
    ottu_pos_lib::run()
}
